import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { logOf } from '../observability/index.ts';
import { applyChanges } from './apply-changes.ts';
import { linkedEstates, readLink, runSyncCycle, type SyncLink, type SyncSummary } from './desktop-service.ts';
import { recordArrivedAccounts } from './shared-accounts.ts';
import { platformDb } from './platform-db.ts';
import { MAX_PULL_WAIT_MS } from './pull-wait.ts';
import { pullResponse } from './schemas.ts';
import type { SyncChange } from './sync-change.ts';

/**
 * The desktop's live sync: changes go up shortly after the write that made them, and the hosted instance's changes
 * come down through a pull the hosted instance holds open until it has news. The minute schedule (sync-job.ts) stays
 * underneath: whatever this loop misses or gives up on, the next minute's cycle carries.
 */
export interface SyncLoopOptions {
  /** Writes within this window after the first go up in one push. */
  debounceMs?: number;
  /** How long one pull may wait at the hosted instance. */
  waitMs?: number;
  /** First pause after a failure; doubles per failure up to `maxBackoffMs`. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

const DEFAULTS: Required<SyncLoopOptions> = { debounceMs: 150, waitMs: 25_000, backoffMs: 1_000, maxBackoffMs: 60_000 };

// An answer to a waiting pull that came back empty this fast means the hosted instance does not hold pulls (an older
// version): the minute schedule is then the way news comes down.
const EARLY_ANSWER_MS = 1_000;

const locks = new WeakMap<AppContext, Map<string, Promise<unknown>>>();

/**
 * Runs `work` after any other sync work of the estate in this process has finished: a cycle, a push and an applied
 * pull never interleave, so the pull cursor only moves forward and one batch is not pushed twice at once.
 */
export function exclusiveSync<T>(app: AppContext, estateId: string, work: () => Promise<T>): Promise<T> {
  let byEstate = locks.get(app);
  if (!byEstate) locks.set(app, (byEstate = new Map()));
  const previous = byEstate.get(estateId) ?? Promise.resolve();
  const next = previous.then(work, work);
  const settled = next.then(
    () => undefined,
    () => undefined,
  );
  byEstate.set(estateId, settled);
  void settled.then(() => {
    if (byEstate.get(estateId) === settled) byEstate.delete(estateId);
  });
  return next;
}

/** One sync cycle of the estate, never at the same time as another of this process's sync work on it. */
export function runSyncCycleExclusive(app: AppContext, estateId: string): Promise<SyncSummary> {
  return exclusiveSync(app, estateId, () => runSyncCycle(app, estateId));
}

const loops = new WeakMap<AppContext, SyncLoop>();

/** The running loop of this server, if it runs one (link and unlink tell it). */
export function syncLoopOf(app: AppContext): SyncLoop | undefined {
  return loops.get(app);
}

export class SyncLoop {
  private readonly workers = new Map<string, EstateSync>();
  private readonly opts: Required<SyncLoopOptions>;
  private unsubscribe: (() => void) | null = null;
  private stopped = false;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(
    private readonly app: AppContext,
    opts: SyncLoopOptions = {},
  ) {
    this.opts = { ...DEFAULTS, ...opts, waitMs: Math.min(opts.waitMs ?? DEFAULTS.waitMs, MAX_PULL_WAIT_MS) };
  }

  async start(): Promise<void> {
    loops.set(this.app, this);
    this.unsubscribe = this.app.live?.onOutbox((estateId) => this.workers.get(estateId)?.localWrite()) ?? null;
    await this.refresh();
  }

  /** Starts sync for estates linked since, stops it for estates unlinked. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      if (this.stopped) return;
      const linked = new Set(await linkedEstates(platformDb(this.app)));
      for (const [estateId, worker] of this.workers) {
        if (!linked.has(estateId)) {
          this.workers.delete(estateId);
          await worker.stop();
        }
      }
      for (const estateId of linked) {
        if (this.stopped || this.workers.has(estateId)) continue;
        const worker = new EstateSync(this.app, estateId, this.opts);
        this.workers.set(estateId, worker);
        worker.start();
      }
    });
    return this.refreshing.catch((err) => logOf(this.app).error({ err }, 'sync: the linked estates could not be read'));
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.unsubscribe?.();
    if (loops.get(this.app) === this) loops.delete(this.app);
    await this.refreshing.catch(() => undefined);
    await Promise.all([...this.workers.values()].map((w) => w.stop()));
    this.workers.clear();
  }
}

/** Live sync of one linked estate: a debounced push after local writes, and one waiting pull at a time. */
class EstateSync {
  private stopped = false;
  private pushTimer: NodeJS.Timeout | null = null;
  private pushing: Promise<void> | null = null;
  private pushAgain = false;
  private pushFailures = 0;
  private pulling: Promise<void> | null = null;
  private pullAbort: AbortController | null = null;
  private pauseTimer: NodeJS.Timeout | null = null;
  private pauseEnd: (() => void) | null = null;
  private pullFailures = 0;
  private warned = false;

  constructor(
    private readonly app: AppContext,
    private readonly estateId: string,
    private readonly opts: Required<SyncLoopOptions>,
  ) {}

  start(): void {
    // Changes written while the desktop was off or offline go up at once.
    this.schedulePush(0);
    this.pulling = this.pullLoop();
  }

  localWrite(): void {
    if (this.pushing) this.pushAgain = true;
    else if (!this.pushTimer && !this.pushFailures) this.schedulePush(this.opts.debounceMs);
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = null;
    this.pullAbort?.abort();
    this.resume();
    await Promise.all([this.pushing, this.pulling]);
  }

  private schedulePush(ms: number): void {
    if (this.stopped) return;
    if (this.pushTimer) clearTimeout(this.pushTimer);
    this.pushTimer = setTimeout(() => {
      this.pushTimer = null;
      this.pushing = this.push().finally(() => {
        this.pushing = null;
        if (this.pushAgain && !this.pushFailures) {
          this.pushAgain = false;
          this.schedulePush(this.opts.debounceMs);
        }
      });
    }, ms);
    this.pushTimer.unref();
  }

  private async push(): Promise<void> {
    if (this.stopped) return;
    this.pushAgain = false;
    let error: string | null;
    try {
      const summary = await runSyncCycleExclusive(this.app, this.estateId);
      error = summary.ok ? null : (summary.error?.code ?? 'SYNC_FAILED');
    } catch {
      // The link was removed meanwhile, or the database is closing: the loop's refresh settles it.
      error = 'SYNC_FAILED';
    }
    if (!error) {
      this.pushFailures = 0;
      this.recovered();
      return;
    }
    this.pushFailures++;
    this.failed(error);
    // The changes stay in the outbox (the office sees the error on the link); a later try or the minute schedule sends them.
    this.schedulePush(this.backoff(this.pushFailures));
  }

  private async pullLoop(): Promise<void> {
    while (!this.stopped) {
      const link = await readLink(platformDb(this.app), this.estateId).catch(() => undefined);
      if (!link || this.stopped) return;
      const startedAt = Date.now();
      try {
        const page = await this.waitingPull(link);
        this.pullFailures = 0;
        this.recovered();
        if (page.changes.length || page.cursor !== link.pull_cursor) await this.applyPage(link, page);
        if (!page.more && !page.changes.length && Date.now() - startedAt < EARLY_ANSWER_MS) await this.pause(this.opts.maxBackoffMs);
      } catch {
        if (this.stopped) return;
        this.pullFailures++;
        this.failed('SYNC_CLOUD_UNREACHABLE');
        await this.pause(this.backoff(this.pullFailures));
      }
    }
  }

  private async waitingPull(link: SyncLink) {
    this.pullAbort = new AbortController();
    const res = await fetch(`${link.cloud_url}/api/v1/sync/pull`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${link.token}` },
      body: JSON.stringify({ cursor: link.pull_cursor, wait_ms: this.opts.waitMs }),
      signal: AbortSignal.any([this.pullAbort.signal, AbortSignal.timeout(this.opts.waitMs + 15_000)]),
    });
    const body = (await res.json().catch(() => undefined)) as unknown;
    // A refusal (429 too many waits, 401 revoked, 503, not Klustera) is a failure like being out of reach: back off.
    if (!res.ok) throw new Error(`pull answered ${res.status}`);
    return pullResponse.parse(body);
  }

  /** Applies a pulled page with its cursor in one transaction, unless another cycle moved the cursor meanwhile. */
  private async applyPage(link: SyncLink, page: { changes: SyncChange[]; cursor: string }): Promise<void> {
    await exclusiveSync(this.app, this.estateId, async () => {
      const knex = platformDb(this.app);
      await new PlatformStore(knex, SYSTEM_ACTOR, this.app.sync).transaction(async (tx) => {
        const trx = tx.knex as Knex.Transaction;
        const current = (await trx('sync_links').where({ id: link.id }).first('pull_cursor')) as { pull_cursor: string } | undefined;
        // The minute cycle or a manual run got here first: this page is read again from the newer cursor.
        if (!current || current.pull_cursor !== link.pull_cursor) return;
        await applyChanges(trx, this.estateId, page.changes, { acknowledged: true, sync: this.app.sync });
        await recordArrivedAccounts(trx, this.estateId, page.changes);
        await trx('sync_links').where({ id: link.id }).update({ pull_cursor: page.cursor, last_sync_at: nowIso(), updated_at: nowIso() });
      });
      for (const change of page.changes) this.app.sync.clock.receiveRemote(change.hlc);
    });
  }

  private backoff(failures: number): number {
    const base = Math.min(this.opts.backoffMs * 2 ** Math.min(failures - 1, 16), this.opts.maxBackoffMs);
    return Math.round(base * (0.8 + Math.random() * 0.4));
  }

  private pause(ms: number): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      this.pauseEnd = resolve;
      this.pauseTimer = setTimeout(() => this.resume(), ms);
      this.pauseTimer.unref();
    });
  }

  private resume(): void {
    if (this.pauseTimer) clearTimeout(this.pauseTimer);
    this.pauseTimer = null;
    const end = this.pauseEnd;
    this.pauseEnd = null;
    end?.();
  }

  private failed(code: string): void {
    if (this.warned) return;
    this.warned = true;
    logOf(this.app).warn({ estate_id: this.estateId, error_code: code }, 'sync: failed; trying again with growing pauses');
  }

  private recovered(): void {
    if (!this.warned || this.pushFailures || this.pullFailures) return;
    this.warned = false;
    logOf(this.app).warn({ estate_id: this.estateId }, 'sync: hosted instance reachable again');
  }
}
