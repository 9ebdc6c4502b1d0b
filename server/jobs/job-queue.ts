import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { insertValuesUnlessExists } from '../db/bulk-insert.ts';
import { newId } from '../db/ids.ts';
import { dialectOf } from '../db/knex.ts';
import { rawRows } from '../db/sqlite-direct.ts';
import { retryDelayMs, type JobDef } from './define-job.ts';
import type { JobRow } from './job-row.ts';
import { jobsEnqueued, type JobHold } from './wakeup.ts';

export type { JobRow } from './job-row.ts';

export interface EnqueueOptions {
  estateId?: string | null;
  /** Same name and key as an existing job: nothing new is enqueued. */
  key?: string;
  runAt?: Date;
  /**
   * A slot of this process's runner (`holdJobHere`): the job is written claimed by it, and `held` in the answer is
   * what the caller hands to `hold.start` once its transaction has committed. Not used when the job already existed.
   */
  hold?: JobHold | null;
}

/**
 * Enqueues `def` with `payload`. Pass the transaction of the write that causes the job, so the job exists exactly
 * when that write committed. The payload is checked against the job's schema here, not when it runs.
 */
export async function enqueueJob<P>(
  knex: Knex | Knex.Transaction,
  def: JobDef<P>,
  payload: P,
  opts: EnqueueOptions = {},
): Promise<{ id: string; enqueued: boolean; held?: JobRow }> {
  const checked = def.schema.parse(payload);
  const at = nowIso();
  const runAt = opts.runAt ?? new Date();
  // Held only when it is due now: a job for later waits in the queue like any other.
  const hold = opts.hold && runAt.getTime() <= Date.now() ? opts.hold : null;
  const row: JobRow = {
    id: newId(),
    estate_id: opts.estateId ?? null,
    name: def.name,
    payload: JSON.stringify(checked ?? null),
    dedupe_key: opts.key ?? null,
    status: hold ? 'running' : 'pending',
    attempts: hold ? 1 : 0,
    max_attempts: def.maxAttempts ?? 8,
    run_at: runAt.toISOString(),
    locked_by: hold?.workerId ?? null,
    locked_until: hold?.lockedUntil.toISOString() ?? null,
    last_error: null,
    created_at: at,
    updated_at: at,
    finished_at: null,
  };
  const written = () => {
    if (hold) return { id: row.id, enqueued: true, held: row };
    jobsEnqueued();
    return { id: row.id, enqueued: true };
  };
  if (row.dedupe_key === null) {
    await knex('jobs').insert(row);
    return written();
  }
  const inserted = await knex('jobs').insert(row).onConflict(['name', 'dedupe_key']).ignore().returning('id');
  if (inserted.length) return written();
  const existing = await knex('jobs').where({ name: def.name, dedupe_key: opts.key }).first('id');
  return { id: existing.id as string, enqueued: false };
}

/**
 * Many jobs of one kind, each with its own key, in multi-row inserts (the day's reminders queue one sending job per
 * message): a key that exists already is skipped as with `enqueueJob`. Pass the transaction of the write that causes
 * them. Answers how many were enqueued.
 */
export async function enqueueJobs<P>(
  knex: Knex | Knex.Transaction,
  def: JobDef<P>,
  items: readonly { payload: P; key: string; runAt?: Date }[],
  estateId: string | null,
): Promise<number> {
  if (!items.length) return 0;
  const at = nowIso();
  const rows = items.map((item) => ({
    id: newId(),
    estate_id: estateId,
    name: def.name,
    payload: JSON.stringify(def.schema.parse(item.payload) ?? null),
    dedupe_key: item.key,
    status: 'pending',
    attempts: 0,
    max_attempts: def.maxAttempts ?? 8,
    run_at: (item.runAt ?? new Date()).toISOString(),
    created_at: at,
    updated_at: at,
  }));
  const written = await insertValuesUnlessExists(knex, 'jobs', rows, ['name', 'dedupe_key']);
  if (written.size) jobsEnqueued();
  return written.size;
}

/**
 * Claims up to `limit` due jobs for `worker`. On PostgreSQL `FOR UPDATE SKIP LOCKED` lets any number of processes
 * claim at once without waiting on or taking each other's jobs; SQLite has one writer, so the statement alone is
 * enough there.
 */
export async function claimDueJobs(
  knex: Knex,
  worker: string,
  names: string[],
  limit: number,
  now: Date,
  leaseMs: (name: string) => number,
): Promise<JobRow[]> {
  if (!names.length) return [];
  const lock = dialectOf(knex) === 'postgres' ? ' for update skip locked' : '';
  const placeholders = names.map(() => '?').join(', ');
  const at = now.toISOString();
  // One lease for the batch, the longest any of these jobs asks for; each job renews its own while it runs.
  const until = new Date(now.getTime() + Math.max(...names.map(leaseMs))).toISOString();
  const sql =
    `update "jobs" set "status" = 'running', "attempts" = "attempts" + 1, "locked_by" = ?, "locked_until" = ?, "updated_at" = ? ` +
    `where "id" in (select "id" from "jobs" where "status" = 'pending' and "run_at" <= ? and "name" in (${placeholders}) ` +
    `order by "run_at", "id" limit ?${lock}) returning *`;
  return rawRows<JobRow>(knex, sql, [worker, until, at, at, ...names, limit]);
}

/** Jobs whose process died while running them (its lease ran out) go back to the queue. */
export async function releaseExpiredLeases(knex: Knex, now: Date): Promise<number> {
  const at = now.toISOString();
  const rows = await rawRows<{ id: string }>(
    knex,
    `update "jobs" set "status" = 'pending', "locked_by" = null, "locked_until" = null, "updated_at" = ? ` +
      `where "status" = 'running' and "locked_until" < ? returning "id"`,
    [at, at],
  );
  return rows.length;
}

/** Extends the lease of a job this worker still holds; false when another process took it over. */
export async function renewLease(knex: Knex, jobId: string, worker: string, until: Date): Promise<boolean> {
  const rows = await rawRows<{ id: string }>(
    knex,
    `update "jobs" set "locked_until" = ? where "id" = ? and "locked_by" = ? and "status" = 'running' returning "id"`,
    [until.toISOString(), jobId, worker],
  );
  return rows.length === 1;
}

/** Marks a job done if this worker still holds it; false means the lease was lost and the work must not count. */
export async function completeJob(knex: Knex | Knex.Transaction, jobId: string, worker: string, now: Date): Promise<boolean> {
  const at = now.toISOString();
  const rows = await rawRows<{ id: string }>(
    knex,
    `update "jobs" set "status" = 'done', "finished_at" = ?, "updated_at" = ?, "locked_by" = null, "locked_until" = null, "last_error" = null ` +
      `where "id" = ? and "locked_by" = ? and "status" = 'running' returning "id"`,
    [at, at, jobId, worker],
  );
  return rows.length === 1;
}

/**
 * `completeJob` for several jobs in one statement (jobs of one runner that finished together); the ids this worker
 * still held, and so marked done. A missing id's lease was lost and its work must not count.
 */
export async function completeJobs(knex: Knex, jobIds: readonly string[], worker: string, now: Date): Promise<Set<string>> {
  if (!jobIds.length) return new Set();
  const at = now.toISOString();
  const rows = await rawRows<{ id: string }>(
    knex,
    `update "jobs" set "status" = 'done', "finished_at" = ?, "updated_at" = ?, "locked_by" = null, "locked_until" = null, "last_error" = null ` +
      `where "id" in (${jobIds.map(() => '?').join(', ')}) and "locked_by" = ? and "status" = 'running' returning "id"`,
    [at, at, ...jobIds, worker],
  );
  return new Set(rows.map((r) => r.id));
}

/** A failed try: back to the queue after a backoff, or `failed` for good once its tries are used up. */
export async function failJob(knex: Knex, job: JobRow, worker: string, error: unknown, now: Date): Promise<'retry' | 'failed'> {
  // The office reads this: an AppError's message is already written for people; anything else keeps its class name.
  const message =
    error instanceof Error
      ? typeof (error as { code?: unknown }).code === 'string'
        ? error.message
        : `${error.name}: ${error.message}`
      : String(error);
  const final = job.attempts >= job.max_attempts;
  const at = now.toISOString();
  await rawRows(
    knex,
    `update "jobs" set "status" = ?, "run_at" = ?, "last_error" = ?, "updated_at" = ?, "finished_at" = ?, "locked_by" = null, "locked_until" = null ` +
      `where "id" = ? and "locked_by" = ?`,
    [
      final ? 'failed' : 'pending',
      final ? job.run_at : new Date(now.getTime() + retryDelayMs(job.attempts)).toISOString(),
      message.slice(0, 2000),
      at,
      final ? at : null,
      job.id,
      worker,
    ],
  );
  return final ? 'failed' : 'retry';
}

/** Done jobs are kept a week for the office to look at, then removed. */
export async function pruneFinishedJobs(knex: Knex, now: Date, keepMs = 7 * 86_400_000): Promise<number> {
  return knex('jobs')
    .where('status', 'done')
    .where('finished_at', '<', new Date(now.getTime() - keepMs).toISOString())
    .delete();
}

/**
 * Takes or keeps the named lease for `holder` until `until`: one statement, so two processes asking at once cannot
 * both get it. True while `holder` holds it.
 */
export async function holdLease(knex: Knex, name: string, holder: string, now: Date, until: Date): Promise<boolean> {
  const rows = await rawRows<{ holder: string }>(
    knex,
    'insert into "job_leases" ("name", "holder", "expires_at") values (?, ?, ?) ' +
      'on conflict ("name") do update set "holder" = excluded."holder", "expires_at" = excluded."expires_at" ' +
      'where "job_leases"."holder" = excluded."holder" or "job_leases"."expires_at" < ? returning "holder"',
    [name, holder, until.toISOString(), now.toISOString()],
  );
  return rows.length === 1 && rows[0].holder === holder;
}

export async function dropLease(knex: Knex, name: string, holder: string): Promise<void> {
  await knex('job_leases').where({ name, holder }).delete();
}

/**
 * How far a running job has got, written outside the job's own transactions so the office sees it while the job
 * runs; `result` (JSON) is what the finished work produced.
 */
export async function setJobProgress(knex: Knex, jobId: string, done: number, total: number, result?: unknown): Promise<void> {
  const patch: Record<string, unknown> = { progress_done: done, progress_total: total, updated_at: nowIso() };
  if (result !== undefined) patch.result = JSON.stringify(result);
  await knex('jobs').where({ id: jobId }).update(patch);
}
