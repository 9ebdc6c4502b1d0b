import { ScopedStore, SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import type { BackgroundJob } from '../jobs.ts';
import { billingSettingsOf } from './billing-settings.ts';
import { activeRunOf } from './billing-progress.ts';
import { runBilling } from './billing-run.ts';
import { localDateOfInstant, periodOfInstant } from './period.ts';

/**
 * The automatic monthly run: on or after the estate's chosen day of the month (settings.billing.auto_run_day, in
 * the estate's zone), bill the current period once. "Once" is the period having any run at all, so a treasurer
 * who billed by hand earlier is not billed over; re-running would create nothing anyway.
 */
export async function billingScheduleTick(app: AppContext, now: Date): Promise<Array<{ estate_id: string; period: string; invoices_created: number }>> {
  const knex = app.db.knex;
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
      const run = await runBilling(store, { period, trigger: 'schedule' });
      done.push({ estate_id: estate.id, period, invoices_created: run.invoices_created });
    } catch (err) {
      // One estate's failure must not stop the others; the next tick tries again.
      console.error(`[klustera] scheduled billing for estate ${estate.id} failed:`, err);
    }
  }
  return done;
}

export const billingScheduleJob: BackgroundJob = {
  name: 'billing-schedule',
  intervalMs: 15 * 60_000,
  tick: async (app, now) => {
    await billingScheduleTick(app, now);
  },
};
