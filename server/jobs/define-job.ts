import type { Knex } from 'knex';
import type { z } from 'zod';
import type { ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';

/** What a job's `run` gets: the server's context, the job's own facts, and a way into its estate's data. */
export interface JobContext {
  app: AppContext;
  jobId: string;
  /** 1 on the first try. */
  attempt: number;
  estateId: string | null;
  now: Date;
  /**
   * The transaction the job runs in when it is transactional: whatever it writes commits together with the job being
   * marked done, so a crash in between leaves neither. Null for jobs that talk to the outside world (printers).
   */
  trx: Knex.Transaction | null;
  /** The job's estate as the system actor (throws for a job without an estate). */
  store(): ScopedStore;
}

export interface JobDef<P = unknown> {
  /** `domain.verb`, stable: stored in the jobs table. */
  name: string;
  schema: z.ZodType<P>;
  run(ctx: JobContext, payload: P): Promise<void>;
  /** Default true: run inside one transaction with the completion mark (exactly once for database effects). */
  transactional?: boolean;
  /** Default 8 tries, then the job is `failed` and waits for someone in the office to retry it. */
  maxAttempts?: number;
  /** How long a claimed job may run before another process may take it over. Default 60 s; renewed while running. */
  leaseMs?: number;
  /**
   * Default false: the job runs alone in its runner, nothing else beside it. True only for a job whose time goes on
   * waiting for the outside world and whose writes are short transactions of their own that are safe to repeat (a
   * gateway's webhook, re-read over HTTP and settled once per payment id): up to the runner's `concurrency` of them
   * run at once. Work that changes much shared state in one go (a billing run, an import, a backup, sync) stays alone.
   */
  overlaps?: boolean;
}

export function defineJob<P>(def: JobDef<P>): JobDef<P> {
  if (!/^[a-z][a-z0-9-]*(\.[a-z][a-z0-9-]*)+$/.test(def.name)) throw new Error(`job name must be domain.verb: ${def.name}`);
  return def;
}

/**
 * Recurring work. Only the process holding the scheduler lease plans; planning only enqueues jobs, with a dedupe
 * key naming the slot (the period, the hour), so even two planners could not make the same work twice.
 */
export interface ScheduleDef {
  name: string;
  everyMs: number;
  plan(app: AppContext, now: Date): Promise<void>;
}

export function defineSchedule(def: ScheduleDef): ScheduleDef {
  return def;
}

/** Exponential backoff with a ceiling: 2 s, 4 s, 8 s … at most an hour between tries. */
export function retryDelayMs(attempt: number): number {
  return Math.min(3_600_000, 1000 * 2 ** Math.max(1, attempt));
}
