// Child process for the durable-job crash test: enqueues jobs (or starts running one) and then waits to be killed
// with SIGKILL by the parent. Prints READY when the state the parent wants to kill is reached.
import { openDatabase } from '../../server/db/knex.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import type { AppContext } from '../../server/http/app-context.ts';
import { defineJob } from '../../server/jobs/define-job.ts';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { crashEffectJob } from './crash-jobs.ts';

const [mode, dataDir, databaseUrl, count] = process.argv.slice(2);
const db = openDatabase({ dataDir, databaseUrl: databaseUrl || undefined });
const app = { db, sync: await loadSyncContext(db.knex) } as AppContext;

if (mode === 'enqueue') {
  // Enqueued with a write in one transaction, then the process dies before any runner sees them.
  await db.knex.transaction(async (trx) => {
    for (let i = 0; i < Number(count); i++) await enqueueJob(trx, crashEffectJob, { label: `enqueued-${i}` });
  });
  process.stdout.write('READY\n');
} else {
  // Claims the job and dies inside it, its transaction still open.
  const hanging = defineJob({
    ...crashEffectJob,
    run: async (ctx, payload) => {
      await crashEffectJob.run(ctx, payload);
      process.stdout.write('READY\n');
      await new Promise(() => {});
    },
  });
  await new JobRunner(app, { jobs: [hanging], workerId: 'doomed' }).runDue();
}
await new Promise(() => {});
