import { z } from 'zod';
import type { Period } from '../calendar/calendar.ts';
import { defineJob } from '../jobs/define-job.ts';
import { runBilling } from './billing-run.ts';

/** The dedupe key of a background run's job, by which its state is found until the run's row exists. */
export const billingRunJobKey = (runId: string) => `billing-run:${runId}`;

/**
 * A billing run the treasurer started in the background. Enqueued by the route, so a restart does not lose it;
 * the run itself is one transaction (with its own progress for the screen), and a run already committed under this
 * id is not made again if the process died between the commit and the job's completion mark.
 */
export const billingRunJob = defineJob({
  name: 'billing.run',
  schema: z.object({
    run_id: z.string(),
    period: z.string(),
    due_date: z.string().optional(),
    user_id: z.string().nullable(),
    role: z.string(),
  }),
  transactional: false,
  maxAttempts: 3,
  leaseMs: 10 * 60_000,
  run: async (ctx, payload) => {
    const store = ctx.store().withActor({ userId: payload.user_id, role: payload.role as never });
    const done = await store.query('billing_runs').where('billing_runs.id', payload.run_id).first('id');
    if (done) return;
    await runBilling(store, { period: payload.period as Period, due_date: payload.due_date, trigger: 'manual' }, payload.run_id);
  },
});
