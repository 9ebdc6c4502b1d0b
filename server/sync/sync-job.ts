import { z } from 'zod';
import { defineJob, defineSchedule } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { linkedEstates } from './desktop-service.ts';
import { runSyncCycleExclusive, syncLoopOf } from './sync-loop.ts';
import { platformDb } from './platform-db.ts';

const SYNC_EVERY_MS = 60_000;

/** One push+pull cycle of a linked estate; its outcome (or error) is stored on the link for the office. */
export const syncRunJob = defineJob({
  name: 'sync.run',
  schema: z.object({}),
  // It talks to the hosted instance and commits batch by batch; a cycle cut short resumes from the outbox and cursor.
  transactional: false,
  maxAttempts: 1,
  run: async (ctx) => {
    if (ctx.estateId) await runSyncCycleExclusive(ctx.app, ctx.estateId);
  },
});

/** Every minute while an estate is linked: the key names the minute, so two planners cannot start two cycles. */
export const syncSchedule = defineSchedule({
  name: 'sync',
  everyMs: SYNC_EVERY_MS,
  plan: async (app, now) => {
    await syncLoopOf(app)?.refresh();
    const slot = String(Math.floor(now.getTime() / SYNC_EVERY_MS));
    for (const estateId of await linkedEstates(platformDb(app))) {
      await enqueueJob(platformDb(app), syncRunJob, {}, { estateId, key: `${estateId}:${slot}` });
    }
  },
});
