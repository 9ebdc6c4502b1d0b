import { z } from 'zod';
import { platformKnex } from '../db/platform-store.ts';
import { estateToday } from '../calendar/calendar.ts';
import { defineJob, defineSchedule } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { queueBackupUpload } from './s3-upload.ts';
import { queueFailedUploadsAgain } from './upload-again.ts';
import { installationZone, localTimeOf, readBackupSettings, runBackup } from './service.ts';

export const backupJob = defineJob({
  name: 'system.backup',
  schema: z.object({ trigger: z.enum(['schedule', 'manual']) }),
  // Files and a worker thread, not one transaction: each attempt records its own row.
  transactional: false,
  maxAttempts: 3,
  // A large database's copy and check may take minutes; the lease is renewed while it runs.
  leaseMs: 10 * 60_000,
  run: async (ctx, payload) => {
    const backup = await runBackup(ctx.app, payload.trigger, ctx.now);
    // Uploads that failed before (keys refused, bucket away for hours) go first, oldest first, then tonight's.
    await queueFailedUploadsAgain(ctx.app);
    // Checked first, then uploaded by its own job: a bucket that is down never makes the backup itself run again.
    await queueBackupUpload(ctx.app, backup.id);
  },
});

const EVERY_MS = 5 * 60_000;

/**
 * Once the day's backup time has passed in the estate's calendar, the day's backup is enqueued under a key naming
 * that local date: one per day however many processes plan, and a server that was off at that hour makes it when it
 * starts.
 */
export const backupSchedule = defineSchedule({
  name: 'backups',
  everyMs: EVERY_MS,
  plan: async (app, now) => {
    if (app.db.dialect !== 'sqlite') return;
    const settings = await readBackupSettings(app.db.knex);
    if (!settings.enabled) return;
    const zone = await installationZone(app.db.knex);
    if (localTimeOf(now, zone) < settings.time) return;
    await enqueueJob(platformKnex(app.db.knex), backupJob, { trigger: 'schedule' }, { key: `daily:${estateToday(zone, now)}` });
  },
});
