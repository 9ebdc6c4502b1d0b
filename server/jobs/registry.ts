import { z } from 'zod';
import {
  billingRunJob,
  billingSchedule,
  billingScheduleTickJob,
  processXenditWebhookJob,
  processMidtransNotificationJob,
  reconcileOnlineChargesJob,
  reconcileOnlineChargesSchedule,
} from '../ledger/index.ts';
import { printSlipJob } from '../gate/slip-job.ts';
import { publishAnnouncementJob } from '../announcements/index.ts';
import { importUnitsJob } from '../imports/import-job.ts';
import { planRemindersJob, remindersSchedule, sendMessageJob } from '../messages/index.ts';
import type { AppContext } from '../http/app-context.ts';
import { residentPassRenewalJob, residentPassRenewalSchedule } from '../passes/renewal-job.ts';
import { syncRunJob, syncSchedule } from '../sync/sync-job.ts';
import { backupJob, backupSchedule, backupUploadJob } from '../backups/index.ts';
import { defineJob, defineSchedule, type JobDef, type ScheduleDef } from './define-job.ts';
import { enqueueJob, pruneFinishedJobs } from './job-queue.ts';
import { JobRunner, jobConcurrencyFromEnv } from './job-runner.ts';
import { platformKnex } from '../db/platform-store.ts';

const PRUNE_EVERY_MS = 6 * 3_600_000;

const pruneJobsJob = defineJob({
  name: 'jobs.prune',
  schema: z.object({}),
  run: async (ctx) => {
    await pruneFinishedJobs(ctx.trx!, ctx.now);
  },
});

const pruneSchedule = defineSchedule({
  name: 'jobs-prune',
  everyMs: PRUNE_EVERY_MS,
  plan: async (app, now) => {
    await enqueueJob(platformKnex(app.db.knex), pruneJobsJob, {}, { key: String(Math.floor(now.getTime() / PRUNE_EVERY_MS)) });
  },
});

/** Every job the server knows how to run, in one list (as routes-index.ts is for routes). */
export const allJobs: JobDef<any>[] = [
  billingRunJob,
  billingScheduleTickJob,
  residentPassRenewalJob,
  printSlipJob,
  importUnitsJob,
  pruneJobsJob,
  sendMessageJob,
  planRemindersJob,
  syncRunJob,
  processXenditWebhookJob,
  processMidtransNotificationJob,
  reconcileOnlineChargesJob,
  publishAnnouncementJob,
  backupJob,
  backupUploadJob,
];

export const allSchedules: ScheduleDef[] = [
  billingSchedule,
  residentPassRenewalSchedule,
  pruneSchedule,
  remindersSchedule,
  syncSchedule,
  reconcileOnlineChargesSchedule,
  backupSchedule,
];

/** The server's runner: every job, and the schedules when `schedules` is on (tests drive time themselves). */
export function serverJobRunner(app: AppContext, opts: { schedules?: boolean; now?: () => Date } = {}): JobRunner {
  return new JobRunner(app, {
    jobs: allJobs,
    schedules: opts.schedules === false ? [] : allSchedules,
    now: opts.now,
    concurrency: jobConcurrencyFromEnv(),
  });
}
