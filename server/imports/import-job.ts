import { z } from 'zod';
import type { Role } from '../auth/permissions.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { defineJob } from '../jobs/define-job.ts';
import { enqueueJob, setJobProgress } from '../jobs/job-queue.ts';
import { NotFoundError } from '../http/errors.ts';
import { IMPORT_FIELDS } from './column-mapping.ts';
import type { ImportPlan } from './import-plan.ts';
import { applyImportInSlices } from './import-units.ts';
import type { ImportJobView } from './schemas.ts';

const planSchema = z.object({
  sheet: z.string(),
  header_row: z.number().int(),
  columns: z.array(z.object({ index: z.number().int(), header: z.string(), field: z.enum(IMPORT_FIELDS).nullable() })),
  unmapped_columns: z.array(z.object({ index: z.number().int(), header: z.string() })),
  // Checked again against the units and residents rules when the job runs; the shape was made by planImport.
  rows: z.array(z.any()),
});

/**
 * Writes an import the office confirmed, in slices, reporting rows written / total on the job row as it goes. Runs
 * as whoever confirmed it, so every audit row names them. Not one transaction with its "done" mark: the progress
 * must be readable while it runs, and a run that dies half-way is simply run again (see applyImportInSlices).
 */
export const importUnitsJob = defineJob({
  name: 'imports.write-units',
  schema: z.object({ plan: planSchema, actor: z.object({ user_id: z.string().nullable(), role: z.string() }) }),
  transactional: false,
  maxAttempts: 3,
  leaseMs: 5 * 60_000,
  run: async (ctx, { plan, actor }) => {
    const store = ctx.store().withActor({ userId: actor.user_id, role: actor.role as Role });
    // The job's row is this estate's: its progress is written in the estate's scope.
    const knex = store.knex;
    const summary = await applyImportInSlices(store, plan as ImportPlan, (done, total) => setJobProgress(knex, ctx.jobId, done, total));
    const total = plan.rows.length;
    await setJobProgress(knex, ctx.jobId, total, total, summary);
  },
});

export async function enqueueImport(store: ScopedStore, plan: ImportPlan): Promise<string> {
  const job = await enqueueJob(
    store.knex,
    importUnitsJob,
    { plan, actor: { user_id: store.actor.userId, role: store.actor.role } },
    { estateId: store.estateId },
  );
  return job.id;
}

/** An import job as the office watches it: rows written so far out of all, and what it changed once done. */
export async function importJobView(store: ScopedStore, jobId: string): Promise<ImportJobView> {
  const row = await store
    .query('jobs')
    .where({ 'jobs.id': jobId, 'jobs.name': importUnitsJob.name })
    .first('id', 'status', 'progress_done', 'progress_total', 'result', 'last_error');
  if (!row) throw new NotFoundError('Impor');
  return {
    id: row.id,
    status: row.status,
    rows_done: Number(row.progress_done ?? 0),
    rows_total: row.progress_total === null || row.progress_total === undefined ? null : Number(row.progress_total),
    summary: row.result ? JSON.parse(row.result) : null,
    error: row.status === 'failed' ? row.last_error : null,
  };
}
