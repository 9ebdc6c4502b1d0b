import { z } from 'zod';
import type { Knex } from 'knex';
import { defineJob } from '../../server/jobs/define-job.ts';

/** A job whose only effect is a row naming it: counting rows counts runs that committed. */
export const crashEffectJob = defineJob({
  name: 'test.crash-effect',
  schema: z.object({ label: z.string() }),
  leaseMs: 2000,
  run: async (ctx, payload) => {
    await ctx.trx!('test_job_effects').insert({ job: payload.label, worker: ctx.jobId });
  },
});

export async function createEffectsTable(knex: Knex): Promise<void> {
  await knex.schema.createTable('test_job_effects', (t) => {
    t.increments('n');
    t.string('job', 64).notNullable();
    t.string('worker', 120).notNullable();
  });
}
