import type { JobRow } from './job-row.ts';

/**
 * In-process wake-up for the runner: a job enqueued by a request in this process is picked up at once instead of at
 * the next poll. Jobs enqueued by other processes are found by polling.
 */
type Listener = () => void;
const listeners = new Set<Listener>();

export function onJobsEnqueued(listener: Listener): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

export function jobsEnqueued(): void {
  for (const listener of listeners) listener();
}

/**
 * A slot of this process's runner, taken before a job is enqueued so the job is written already claimed by it
 * (`running`, its lease this runner's) and run as soon as the enqueuing transaction has committed, without a claim.
 * Exactly one of `start` (with the job as written, once committed) or `release` (nothing was written, or the write
 * did not commit) must follow. A process that dies in between leaves a leased job, which goes back to the queue when
 * the lease runs out, as any claimed job of a dead runner does.
 */
export interface JobHold {
  workerId: string;
  lockedUntil: Date;
  start(job: JobRow): void;
  release(): void;
}

type HoldProvider = (jobName: string) => JobHold | null;
/** By database (the knex instance the runners and the enqueuer share): a test process may run several servers. */
const holdProviders = new WeakMap<object, Set<HoldProvider>>();

/** A runner working on `database` in this process offers its free slots; returns the way to stop. */
export function offerJobHolds(database: object, provider: HoldProvider): () => void {
  let providers = holdProviders.get(database);
  if (!providers) holdProviders.set(database, (providers = new Set()));
  providers.add(provider);
  return () => void providers.delete(provider);
}

/**
 * A slot for a job named `jobName` in a runner this process has working on `database`, or null (none here, all
 * full, or stopping).
 */
export function holdJobHere(database: object, jobName: string): JobHold | null {
  for (const provider of holdProviders.get(database) ?? []) {
    const hold = provider(jobName);
    if (hold) return hold;
  }
  return null;
}
