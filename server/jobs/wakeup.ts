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
