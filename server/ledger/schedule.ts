import { ScopedStore, SYSTEM_ACTOR } from '../db/scoped-store.ts';
import { platformKnex } from '../db/platform-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { logOf } from '../observability/index.ts';
import { z } from 'zod';
import { defineJob, defineSchedule } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { billingSettingsOf } from './billing-settings.ts';
import { activeRunOf } from './billing-progress.ts';
import { runBilling } from './billing-run.ts';
import { proposedDueDate } from './due-date.ts';
import { localDateOfInstant, periodOfInstant } from '../calendar/calendar.ts';

/**
 * The automatic monthly run: on or after the estate's chosen day of the month (settings.billing.auto_run_day, in
 * the estate's zone), bill the current period once. "Once" is the period having any run at all, so a treasurer
 * who billed by hand earlier is not billed over; re-running would create nothing anyway.
 */
export async function billingScheduleTick(
  app: AppContext,
  now: Date,
): Promise<Array<{ estate_id: string; period: string; invoices_created: number }>> {
  // Looks across every estate; each estate's run goes through its own scoped store.
  const knex = platformKnex(app.db.knex);
  const estates = await knex('estates').whereNull('deleted_at').select('id', 'timezone', 'settings');
  const done: Array<{ estate_id: string; period: string; invoices_created: number }> = [];
  for (const estate of estates) {
    const settings = billingSettingsOf(estate.settings);
    if (!settings.auto_run_day) continue;
    const zone = estate.timezone || 'Asia/Jakarta';
    const instant = now.toISOString();
    const today = localDateOfInstant(instant, zone);
    if (Number(today.slice(8, 10)) < settings.auto_run_day) continue;
    const period = periodOfInstant(instant, zone);
    const ran = await knex('billing_runs').where({ estate_id: estate.id, period }).first('id');
    if (ran || activeRunOf(estate.id)) continue;
    const hasFees = await knex('fee_types').where({ estate_id: estate.id }).whereNull('deleted_at').first('id');
    if (!hasFees) continue;
    const store = new ScopedStore(knex, estate.id, SYSTEM_ACTOR, app.sync);
    try {
      // Due as proposed on the tick's day in the estate, which is the day this run stands for.
      const due_date = proposedDueDate(period, settings.due_day, today);
      const run = await runBilling(store, { period, due_date, trigger: 'schedule' });
      done.push({ estate_id: estate.id, period, invoices_created: run.invoices_created });
    } catch (err) {
      // One estate's failure must not stop the others; the next tick tries again.
      logOf(app).error({ estate_id: estate.id, err }, 'scheduled billing failed');
    }
  }
  return done;
}

const EVERY_MS = 15 * 60_000;

/** One look at every estate's billing day, as of `at`; deduplicated per quarter hour, so it runs once per slot. */
export const billingScheduleTickJob = defineJob({
  name: 'billing.schedule-tick',
  schema: z.object({ at: z.iso.datetime() }),
  // Each estate's run is its own transaction (runBilling), and a run already made for the period is not repeated.
  transactional: false,
  leaseMs: 10 * 60_000,
  run: async (ctx, payload) => {
    await billingScheduleTick(ctx.app, new Date(payload.at));
  },
});

export const billingSchedule = defineSchedule({
  name: 'billing',
  everyMs: EVERY_MS,
  plan: async (app, now) => {
    const slot = Math.floor(now.getTime() / EVERY_MS);
    await enqueueJob(platformKnex(app.db.knex), billingScheduleTickJob, { at: now.toISOString() }, { key: String(slot) });
  },
});
