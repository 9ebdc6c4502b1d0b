import type { AppContext } from './http/app-context.ts';
import { billingScheduleJob } from './billing/schedule.ts';
import { residentPassRenewalJob } from './passes/renewal-job.ts';

/**
 * Periodic work the server does on its own (scheduled billing runs, pass renewal, session cleanup). Each job is a
 * plain `tick(app, now)` function so tests call it directly with a chosen time.
 */
export interface BackgroundJob {
  name: string;
  intervalMs: number;
  tick(app: AppContext, now: Date): Promise<void>;
}

export const backgroundJobs: BackgroundJob[] = [billingScheduleJob, residentPassRenewalJob];

export function startBackgroundJobs(app: AppContext): () => void {
  const timers = backgroundJobs.map((job) => {
    const timer = setInterval(() => {
      job.tick(app, new Date()).catch((err) => console.error(`[klustera] job ${job.name} failed:`, err));
    }, job.intervalMs);
    timer.unref();
    return timer;
  });
  return () => timers.forEach(clearInterval);
}
