import { ScopedStore, SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { BackgroundJob } from '../jobs.ts';
import { keepResidentPassCurrent, type PassRow } from './service.ts';

/**
 * Keeps every resident pass at 30 days ahead while its holder lives in the estate, and revokes the passes of
 * residents who moved out, so a screenshot kept by a former resident stops opening the gate.
 */
export async function renewResidentPasses(store: ScopedStore, timezone: string, now: Date): Promise<{ renewed: number; revoked: number }> {
  const passes = (await store.live('passes').where('kind', 'resident').whereNull('revoked_at').where('valid_until', '>', now.toISOString())) as PassRow[];
  let renewed = 0;
  let revoked = 0;
  for (const pass of passes) {
    const after = await keepResidentPassCurrent(store, pass, timezone, now);
    if (after.revoked_at) revoked++;
    else if (after.valid_until !== pass.valid_until) renewed++;
  }
  return { renewed, revoked };
}

export const residentPassRenewalJob: BackgroundJob = {
  name: 'resident-pass-renewal',
  intervalMs: 60 * 60_000,
  async tick(app, now) {
    const estates = await app.db.knex('estates').whereNull('deleted_at').select('id', 'timezone');
    for (const estate of estates) {
      await renewResidentPasses(new ScopedStore(app.db.knex, estate.id, SYSTEM_ACTOR, app.sync), estate.timezone, now);
    }
  },
};
