import { ScopedStore, SYSTEM_ACTOR } from '../db/scoped-store.ts';
import { platformKnex } from '../db/platform-store.ts';
import { z } from 'zod';
import { defineJob, defineSchedule } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { keepResidentPassCurrent, type PassRow } from './service.ts';

/**
 * Keeps every resident pass at 30 days ahead while its holder lives in the estate, and revokes the passes of
 * residents who moved out, so a screenshot kept by a former resident stops opening the gate.
 */
export async function renewResidentPasses(store: ScopedStore, timezone: string, now: Date): Promise<{ renewed: number; revoked: number }> {
  const passes = (await store
    .live('passes')
    .where('kind', 'resident')
    .whereNull('revoked_at')
    .where('valid_until', '>', now.toISOString())) as PassRow[];
  let renewed = 0;
  let revoked = 0;
  for (const pass of passes) {
    const after = await keepResidentPassCurrent(store, pass, timezone, now);
    if (after.revoked_at) revoked++;
    else if (after.valid_until !== pass.valid_until) renewed++;
  }
  return { renewed, revoked };
}

const EVERY_MS = 60 * 60_000;

/** One estate's renewal as of `at`: its own job, so one estate's failure is retried without holding up the others. */
export const residentPassRenewalJob = defineJob({
  name: 'passes.renew-resident',
  schema: z.object({ at: z.iso.datetime() }),
  // One short transaction per pass (keepResidentPassCurrent), not one long one over the estate: SQLite has one writer,
  // and the gate's scans must not wait behind a renewal. Renewing a pass again is harmless.
  transactional: false,
  run: async (ctx, payload) => {
    const store = ctx.store();
    await renewResidentPasses(store, await store.timezone(), new Date(payload.at));
  },
});

export const residentPassRenewalSchedule = defineSchedule({
  name: 'resident-pass-renewal',
  everyMs: EVERY_MS,
  plan: async (app, now) => {
    const slot = Math.floor(now.getTime() / EVERY_MS);
    const estates = await app.db.knex('estates').whereNull('deleted_at').select('id');
    for (const estate of estates) {
      await enqueueJob(
        platformKnex(app.db.knex),
        residentPassRenewalJob,
        { at: now.toISOString() },
        { estateId: estate.id, key: `${estate.id}:${slot}` },
      );
    }
  },
});
