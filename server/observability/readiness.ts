import type { Database } from '../db/knex.ts';
import { migrationStatus } from '../db/migrate.ts';
import type { Logger } from './logger.ts';

/** What readiness and metrics need of the job runner (jobs/job-runner.ts), without importing it. */
export interface JobRunnerHealth {
  readonly isRunning: boolean;
  /** When the runner last finished a round or a job; null before the first. */
  lastTickAt(): Date | null;
  onOutcome(listener: (outcome: { name: string; result: 'done' | 'retry' | 'failed' | 'lost' }) => void): () => void;
}

export interface ReadinessCheck {
  ok: boolean;
  detail?: string;
}

export interface ReadinessReport {
  ready: boolean;
  /** Names of the checks that failed, in a fixed order. */
  not_ready: string[];
  checks: { database: ReadinessCheck; migrations: ReadinessCheck; jobs: ReadinessCheck };
}

/** A runner idle at its one-second poll finishes a round every second or so; two minutes without one is stuck. */
export const JOBS_STALE_MS = 120_000;
const CHECK_TIMEOUT_MS = 3_000;

function withTimeout<T>(work: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} did not answer within ${CHECK_TIMEOUT_MS / 1000} s`)), CHECK_TIMEOUT_MS);
    timer.unref();
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

export function jobsCheck(jobs: JobRunnerHealth | undefined, now = Date.now()): ReadinessCheck {
  if (!jobs?.isRunning) return { ok: false, detail: 'the job runner is not running' };
  const last = jobs.lastTickAt();
  if (!last) return { ok: false, detail: 'the job runner has not finished a round yet' };
  const age = now - last.getTime();
  if (age > JOBS_STALE_MS) return { ok: false, detail: `the job runner last finished a round ${Math.round(age / 1000)} s ago` };
  return { ok: true };
}

/**
 * Ready means: the database answers (as requests reach it), its schema is exactly this build's (no migration
 * pending, none unknown), and this process's job runner is alive. `owner` reads the migration bookkeeping, which the
 * request role on PostgreSQL may not see.
 */
export async function checkReadiness(
  served: Database,
  owner: Database,
  jobs: JobRunnerHealth | undefined,
  log?: Logger,
): Promise<ReadinessReport> {
  let database: ReadinessCheck;
  try {
    await withTimeout(Promise.resolve(served.knex.raw('select 1')), 'the database');
    database = { ok: true };
  } catch (err) {
    log?.warn({ err }, 'readiness: the database cannot be reached');
    // The driver's message may name hosts and accounts; this answer is public, the server's own log has the cause.
    database = { ok: false, detail: 'the database cannot be reached' };
  }
  let migrations: ReadinessCheck;
  if (!database.ok) migrations = { ok: false, detail: 'not checked: the database cannot be reached' };
  else {
    try {
      const status = await withTimeout(migrationStatus(owner), 'the migration table');
      if (status.pending.length) migrations = { ok: false, detail: `${status.pending.length} migration(s) pending` };
      else if (status.unknown.length)
        migrations = { ok: false, detail: `${status.unknown.length} migration(s) applied by a newer version` };
      else migrations = { ok: true };
    } catch (err) {
      log?.warn({ err }, 'readiness: the migration table cannot be read');
      migrations = { ok: false, detail: 'the migration table cannot be read' };
    }
  }
  const checks = { database, migrations, jobs: jobsCheck(jobs) };
  const notReady = (Object.keys(checks) as (keyof typeof checks)[]).filter((name) => !checks[name].ok);
  return { ready: notReady.length === 0, not_ready: notReady, checks };
}
