import crypto from 'node:crypto';
import os from 'node:os';
import type { Knex } from 'knex';
import { ScopedStore, SYSTEM_ACTOR } from '../db/scoped-store.ts';
import { dialectOf } from '../db/knex.ts';
import { platformKnex } from '../db/platform-store.ts';
import { sqliteTransaction } from '../db/sqlite-direct.ts';
import type { AppContext } from '../http/app-context.ts';
import type { JobContext, JobDef, ScheduleDef } from './define-job.ts';
import { offerJobHolds, onJobsEnqueued, type JobHold } from './wakeup.ts';
import { logger, type Logger } from '../observability/index.ts';
import {
  claimDueJobs,
  completeJob,
  completeJobs,
  dropLease,
  failJob,
  holdLease,
  releaseExpiredLeases,
  renewLease,
  type JobRow,
} from './job-queue.ts';

const DEFAULT_LEASE_MS = 60_000;
/** Jobs that may overlap (`overlaps`) running at once in one runner when nothing says otherwise. */
export const DEFAULT_JOB_CONCURRENCY = 8;
const SCHEDULER_LEASE = 'scheduler';
/** Claims per background round; a round ends by waiting for its last job, so a busy queue is not cut into short ones. */
const TICK_CLAIMS = 200;
/**
 * How often a round looks for jobs whose runner died and renews or asks for the scheduler lease when no schedule is
 * due. Both are writes; done on every round, a queue taking a job every few milliseconds (webhooks at 200/s) spent
 * more statements on them than on its jobs. A dead runner's jobs wait their lease out anyway, and the lease is held
 * for minutes, so seconds here change nothing anyone waits for.
 */
const LEASE_SWEEP_MS = 1_000;
const LEASE_RENEW_MS = 10_000;
const LEASE_ASK_MS = 2_000;

export interface RunnerOptions {
  jobs: JobDef<any>[];
  schedules?: ScheduleDef[];
  /** How often to look for due jobs when idle. */
  pollMs?: number;
  /** Jobs claimed per look at most (default: the free slots of `concurrency`). */
  batch?: number;
  /** How many jobs that may overlap run at once (default DEFAULT_JOB_CONCURRENCY); 1 runs every job alone. */
  concurrency?: number;
  /** The clock, injectable so tests can run a schedule at 23:30 in Jayapura. */
  now?: () => Date;
  workerId?: string;
}

export interface RunOutcome {
  id: string;
  name: string;
  result: 'done' | 'retry' | 'failed' | 'lost';
}

/** Whether `ms` have passed since `since` by the real clock or by the runner's own (which tests move by hours). */
function elapsed(since: { real: number; clock: number }, now: Date, ms: number): boolean {
  return performance.now() - since.real >= ms || Math.abs(now.getTime() - since.clock) >= ms;
}

/** Runs `body` in one transaction on either database. */
function inTransaction<T>(knex: Knex, body: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  const onSqlite = sqliteTransaction(knex);
  return onSqlite ? onSqlite(body) : knex.transaction(body);
}

/** `KLUSTERA_JOB_CONCURRENCY`: unset for the default, else a whole number from 1 to 64; anything else stops the start. */
export function jobConcurrencyFromEnv(value: string | undefined = process.env.KLUSTERA_JOB_CONCURRENCY): number {
  if (value === undefined || value === '') return DEFAULT_JOB_CONCURRENCY;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 64)
    throw new Error(`KLUSTERA_JOB_CONCURRENCY must be a whole number from 1 to 64, got ${value}`);
  return n;
}

/** A claimed job, its lease renewed until it has run. */
interface HeldJob {
  job: JobRow;
  def: JobDef<any>;
  lost: boolean;
  heartbeat: NodeJS.Timeout;
}

class LeaseLost extends Error {
  constructor() {
    super('the job was taken over by another process');
  }
}

/**
 * Claims due jobs and runs them, and (in the one process holding the scheduler lease) plans recurring work. Any
 * number of runners may share one database: a job is claimed by one of them, and a job whose runner died goes back
 * to the queue when its lease runs out.
 */
export class JobRunner {
  readonly workerId: string;
  private readonly defs = new Map<string, JobDef<any>>();
  private readonly schedules: ScheduleDef[];
  private readonly lastPlanned = new Map<string, number>();
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<unknown> | null = null;
  private stopped = true;
  private unsubscribe: (() => void) | null = null;
  private nudged = false;
  private readonly clock: () => Date;
  /** Wall-clock time of the last finished round or job, for readiness (not the injectable clock: probes use real time). */
  private lastTickMs: number | null = null;
  private readonly outcomeListeners = new Set<(outcome: RunOutcome) => void>();
  private readonly concurrency: number;
  /** The round running now; the next waits for it. */
  private rounds: Promise<unknown> = Promise.resolve();
  private completing: { ids: string[]; marked: Promise<Set<string>> } | null = null;
  /** When leases were last swept and the scheduler lease last held or asked for (real and injected clock). */
  private swept: { real: number; clock: number } | null = null;
  private leaseAsked: { real: number; clock: number; leading: boolean } | null = null;
  /** False when the last round found the queue empty: the next round waits for a job or the poll. */
  private leftWork = false;
  /** Jobs written already claimed by this runner (`hold`): reserved, waiting for their commit, or running. */
  private holding = 0;
  private readonly heldRuns = new Set<Promise<unknown>>();
  private stopOffering: (() => void) | null = null;
  /** Starts the next round now instead of at the poll (set while started). */
  private nudge: (() => void) | null = null;
  /** The running round's view: jobs it claimed and has not finished, whether one runs alone, and its wake-up. */
  private round: { load: () => number; blocksHolds: () => boolean; backlog: () => boolean; wake: () => void } | null = null;

  constructor(
    private readonly app: AppContext,
    private readonly opts: RunnerOptions,
  ) {
    for (const def of opts.jobs) this.defs.set(def.name, def);
    this.schedules = opts.schedules ?? [];
    this.clock = opts.now ?? (() => new Date());
    this.concurrency = Math.max(1, opts.concurrency ?? DEFAULT_JOB_CONCURRENCY);
    this.workerId = opts.workerId ?? `${os.hostname().slice(0, 30)}:${process.pid}:${crypto.randomBytes(4).toString('hex')}`;
  }

  private get log(): Logger {
    return this.app.observability?.log ?? logger();
  }

  get isRunning(): boolean {
    return !this.stopped;
  }

  lastTickAt(): Date | null {
    return this.lastTickMs === null ? null : new Date(this.lastTickMs);
  }

  /** Hears every job run's outcome (metrics count the failures); returns the way to stop listening. */
  onOutcome(listener: (outcome: RunOutcome) => void): () => void {
    this.outcomeListeners.add(listener);
    return () => this.outcomeListeners.delete(listener);
  }

  private get knex(): Knex {
    // Claims, leases and schedules span estates; a job's own work goes through its estate's scoped store.
    return platformKnex(this.app.db.knex);
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    // A server that just started plans each schedule one interval later, as a timer would: the first minutes after a
    // start (an update, a restart under load) belong to requests, and the slot keys catch up on anything missed.
    const startedAt = this.clock().getTime();
    for (const schedule of this.schedules) if (!this.lastPlanned.has(schedule.name)) this.lastPlanned.set(schedule.name, startedAt);
    const loop = async () => {
      this.timer = null;
      if (this.stopped) return;
      this.nudged = false;
      this.running = this.tick().catch((err) => this.log.error({ err }, 'job runner: a round failed'));
      const worked = await this.running;
      this.running = null;
      if (this.stopped) return;
      // Straight on while a round stopped with work left or a job was enqueued meanwhile; a round that ran jobs
      // until the queue was empty waits for the next job or a poll interval, like an idle one.
      this.timer = setTimeout(loop, (worked && this.leftWork) || this.nudged ? 0 : (this.opts.pollMs ?? 1000));
      this.timer.unref();
    };
    // The enqueuing transaction may still be open when this fires. On SQLite the claim waits for the one connection,
    // so it sees the committed job and can start at once; on PostgreSQL it waits a moment, and a miss is caught by
    // the next poll.
    const nudgeDelay = dialectOf(this.app.db.knex) === 'sqlite' ? 0 : 5;
    this.nudge = () => {
      this.nudged = true;
      if (this.timer && !this.running) {
        clearTimeout(this.timer);
        this.timer = setTimeout(loop, nudgeDelay);
        this.timer.unref();
      }
    };
    this.unsubscribe = onJobsEnqueued(this.nudge);
    this.timer = setTimeout(loop, 0);
    this.timer.unref();
    this.stopOffering = offerJobHolds(this.app.db.knex, (name) => this.hold(name));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    this.stopOffering?.();
    this.stopOffering = null;
    this.nudge = null;
    if (this.timer) clearTimeout(this.timer);
    await this.running;
    while (this.heldRuns.size) await Promise.allSettled([...this.heldRuns]);
    this.leaseAsked = null;
    if (this.schedules.length) await dropLease(this.knex, SCHEDULER_LEASE, this.workerId).catch(() => {});
  }

  /** One round: plan schedules if this process leads, release dead leases, run what is due. True if it ran anything. */
  async tick(): Promise<boolean> {
    await this.planSchedules();
    const outcomes = await this.runDue(TICK_CLAIMS);
    this.lastTickMs = Date.now();
    return outcomes.length > 0;
  }

  /** Plans every schedule whose interval has passed, when this process holds the scheduler lease. */
  async planSchedules(): Promise<string[]> {
    if (!this.schedules.length) return [];
    const now = this.clock();
    const due = this.schedules.some((s) => {
      const last = this.lastPlanned.get(s.name);
      return last === undefined || now.getTime() - last >= s.everyMs;
    });
    const longest = Math.max(...this.schedules.map((s) => s.everyMs));
    const leaseMs = Math.min(longest, 5 * 60_000) * 2;
    const asked = this.leaseAsked;
    // A leader renews well before its lease ends and whenever it has something to plan; another process asks every
    // few seconds.
    const askEvery = asked?.leading ? Math.min(LEASE_RENEW_MS, leaseMs / 3) : LEASE_ASK_MS;
    if (asked && !(due && asked.leading) && !elapsed(asked, now, askEvery)) return [];
    const leads = await holdLease(this.knex, SCHEDULER_LEASE, this.workerId, now, new Date(now.getTime() + leaseMs));
    this.leaseAsked = { real: performance.now(), clock: now.getTime(), leading: leads };
    if (!leads) return [];
    const planned: string[] = [];
    for (const schedule of this.schedules) {
      const last = this.lastPlanned.get(schedule.name);
      if (last !== undefined && now.getTime() - last < schedule.everyMs) continue;
      this.lastPlanned.set(schedule.name, now.getTime());
      try {
        await schedule.plan(this.app, now);
        planned.push(schedule.name);
      } catch (err) {
        this.log.error({ schedule: schedule.name, err }, 'schedule failed to plan');
      }
    }
    return planned;
  }

  /**
   * Claims and runs due jobs until none are left (at most `rounds` claims); what happened to each. Jobs that may
   * overlap run up to `concurrency` at once; any other job waits until nothing else runs and runs alone. Claims are
   * sized to the free slots, so a claimed job starts at once unless it waits for one that runs alone. Rounds of one
   * runner follow each other, so these bounds hold for the runner as a whole.
   */
  runDue(rounds = 20): Promise<RunOutcome[]> {
    const round = this.rounds.then(() => this.drain(rounds));
    this.rounds = round.catch(() => {});
    return round;
  }

  private async drain(rounds: number): Promise<RunOutcome[]> {
    const outcomes: RunOutcome[] = [];
    const ready: HeldJob[] = [];
    const inFlight = new Set<Promise<void>>();
    let aloneRunning = false;
    let claims = 0;
    // False once a claim found fewer due jobs than it asked for: the queue is empty until a job is enqueued here.
    let more = true;
    let wake: (() => void) | null = null;
    let woken = false;
    const notify = () => {
      woken = true;
      wake?.();
    };
    const unsubscribe = onJobsEnqueued(() => {
      more = true;
      notify();
    });
    this.round = {
      load: () => inFlight.size + ready.length,
      blocksHolds: () => aloneRunning || ready.some((h) => !h.def.overlaps),
      backlog: () => more,
      // A held job finished: a slot is free, or a job waiting to run alone may start.
      wake: () => {
        launch();
        notify();
      },
    };
    const launch = () => {
      while (ready.length) {
        const held = ready[0];
        if (held.def.overlaps ? aloneRunning || inFlight.size + this.holding >= this.concurrency : inFlight.size + this.holding > 0) return;
        ready.shift();
        if (!held.def.overlaps) aloneRunning = true;
        let running: Promise<void> | null = null;
        const settled = (outcome: RunOutcome) => {
          inFlight.delete(running!);
          if (!held.def.overlaps) aloneRunning = false;
          outcomes.push(outcome);
          // A long queue keeps the runner busy without finishing a round: each job done shows it is alive.
          this.lastTickMs = Date.now();
          for (const listener of this.outcomeListeners) listener(outcome);
          launch();
          notify();
        };
        running = this.runOne(held).then(settled, (err) => {
          // Not even its failure could be written: the lease runs out and the job goes back to the queue.
          this.log.error({ job: held.job.name, job_id: held.job.id, err }, 'job runner: a job could not be settled');
          settled({ id: held.job.id, name: held.job.name, result: 'lost' });
        });
        inFlight.add(running);
      }
    };
    try {
      const now = this.clock();
      if (!this.swept || elapsed(this.swept, now, LEASE_SWEEP_MS)) {
        await releaseExpiredLeases(this.knex, now);
        this.swept = { real: performance.now(), clock: now.getTime() };
      }
      for (;;) {
        woken = false;
        const free = this.concurrency - inFlight.size - ready.length - this.holding;
        // Nothing is claimed while a job runs alone or waits to: what is claimed now would only wait, leased.
        if (more && claims < rounds && free > 0 && !aloneRunning && !ready.some((h) => !h.def.overlaps)) {
          const limit = Math.min(free, this.opts.batch ?? this.concurrency);
          more = false;
          const claimed = await this.claim(limit);
          if (claimed.length) claims++;
          if (claimed.length === limit) more = true;
          ready.push(...claimed);
          launch();
          continue;
        }
        if (!inFlight.size && !ready.length) {
          // `more` is still true only when the claims ran out before the queue did.
          this.leftWork = more;
          break;
        }
        if (!woken) await new Promise<void>((resolve) => (wake = resolve));
        wake = null;
      }
    } finally {
      unsubscribe();
      this.round = null;
      // Claimed jobs are always run: their leases are this runner's.
      while (inFlight.size || ready.length) {
        launch();
        await Promise.race(inFlight);
      }
    }
    return outcomes;
  }

  private async claim(limit: number): Promise<HeldJob[]> {
    const claimed = await claimDueJobs(
      this.knex,
      this.workerId,
      [...this.defs.keys()],
      limit,
      this.clock(),
      (name) => this.defs.get(name)?.leaseMs ?? DEFAULT_LEASE_MS,
    );
    return claimed.map((job) => this.leased(job));
  }

  /** A job this runner holds, its lease renewed until it has run. */
  private leased(job: JobRow): HeldJob {
    const def = this.defs.get(job.name)!;
    const leaseMs = def.leaseMs ?? DEFAULT_LEASE_MS;
    const held: HeldJob = { job, def, lost: false, heartbeat: null as unknown as NodeJS.Timeout };
    // Renewed from the claim on, not from the start: a job waiting behind one that runs alone keeps its lease too.
    held.heartbeat = setInterval(
      () => {
        renewLease(this.knex, job.id, this.workerId, new Date(this.clock().getTime() + leaseMs))
          .then((kept) => {
            if (!kept) held.lost = true;
          })
          .catch(() => {});
      },
      Math.max(250, leaseMs / 3),
    );
    held.heartbeat.unref();
    return held;
  }

  /**
   * A slot for a job about to be enqueued here, written already claimed by this runner and run once its transaction
   * has committed: no claim, no wait for a round (a gateway's callback is processed as soon as it is stored). Only
   * jobs that may overlap, only while a slot is free and no job runs or waits to run alone.
   */
  private hold(name: string): JobHold | null {
    const def = this.defs.get(name);
    if (!def?.overlaps || this.stopped) return null;
    if (this.round?.blocksHolds()) return null;
    // Jobs already waiting in the queue go first: a new one joins them rather than overtaking them.
    if (this.leftWork || this.round?.backlog()) return null;
    if ((this.round?.load() ?? 0) + this.holding >= this.concurrency) return null;
    this.holding++;
    let used = false;
    const done = () => {
      this.holding--;
      // The running round may claim into the slot; with no round running, jobs left waiting because the slots were
      // held are claimed now rather than at the next poll.
      if (this.round) this.round.wake();
      else if (this.leftWork) this.nudge?.();
    };
    return {
      workerId: this.workerId,
      lockedUntil: new Date(this.clock().getTime() + (def.leaseMs ?? DEFAULT_LEASE_MS)),
      release: () => {
        if (used) return;
        used = true;
        done();
      },
      start: (job) => {
        if (used) return;
        used = true;
        const run = this.runOne(this.leased(job))
          .then(
            (outcome) => {
              this.lastTickMs = Date.now();
              for (const listener of this.outcomeListeners) listener(outcome);
            },
            (err) => {
              this.log.error({ job: job.name, job_id: job.id, err }, 'job runner: a job could not be settled');
              for (const listener of this.outcomeListeners) listener({ id: job.id, name: job.name, result: 'lost' });
            },
          )
          .finally(() => {
            this.heldRuns.delete(run);
            done();
          });
        this.heldRuns.add(run);
      },
    };
  }

  /**
   * Marks a non-transactional job done. Jobs finishing in the same turn of the event loop (on SQLite, those whose
   * writes shared one commit) are marked in one statement.
   */
  private completeSoon(jobId: string): Promise<boolean> {
    let batch = this.completing;
    if (!batch) {
      const ids: string[] = [];
      const marked = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        this.completing = null;
        return completeJobs(this.knex, ids, this.workerId, this.clock());
      });
      batch = this.completing = { ids, marked };
    }
    batch.ids.push(jobId);
    return batch.marked.then((done) => done.has(jobId));
  }

  private async runOne(held: HeldJob): Promise<RunOutcome> {
    const { job, def } = held;
    try {
      const payload = def.schema.parse(JSON.parse(job.payload));
      const context = (trx: Knex.Transaction | null): JobContext => ({
        app: this.app,
        jobId: job.id,
        attempt: job.attempts,
        estateId: job.estate_id,
        now: this.clock(),
        trx,
        store: () => {
          if (!job.estate_id) throw new Error(`job ${job.name} has no estate`);
          return new ScopedStore(trx ?? this.knex, job.estate_id, SYSTEM_ACTOR, this.app.sync);
        },
      });
      if (def.transactional === false) {
        await def.run(context(null), payload);
        if (held.lost || !(await this.completeSoon(job.id))) return { id: job.id, name: job.name, result: 'lost' };
      } else {
        await inTransaction(this.knex, async (trx) => {
          await def.run(context(trx), payload);
          // The work and its completion mark commit together, or not at all if another process took the job over.
          if (held.lost || !(await completeJob(trx, job.id, this.workerId, this.clock()))) throw new LeaseLost();
        });
      }
      return { id: job.id, name: job.name, result: 'done' };
    } catch (err) {
      if (err instanceof LeaseLost) return { id: job.id, name: job.name, result: 'lost' };
      const result = await failJob(this.knex, job, this.workerId, err, this.clock());
      if (result === 'failed') this.log.error({ job: job.name, job_id: job.id, err }, 'job failed for good');
      else this.log.warn({ job: job.name, job_id: job.id, attempt: job.attempts, err }, 'job failed; it will be tried again');
      return { id: job.id, name: job.name, result };
    } finally {
      clearInterval(held.heartbeat);
    }
  }
}
