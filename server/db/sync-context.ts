import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { decodeHlc, HybridLogicalClock } from '../sync/hlc.ts';
import { nowIso } from './clock.ts';

/** Who this installation is in the sync protocol, and its clock. One per running server. */
export interface SyncContext {
  siteId: string;
  clock: HybridLogicalClock;
}

export async function loadSyncContext(knex: Knex, preferredSiteId?: string): Promise<SyncContext> {
  let row = await knex('site').first();
  if (!row) {
    row = { id: preferredSiteId ?? `site-${crypto.randomBytes(6).toString('hex')}`, created_at: nowIso() };
    await knex('site').insert(row);
  }
  const clock = new HybridLogicalClock(row.id);
  // The clock starts past every change this database holds. A clock that ran ahead (a day, say) and was put right
  // while the app was closed would otherwise stamp new edits earlier than the old ones, and every other site would
  // keep the old values.
  const newest = (await knex('outbox').max('hlc as hlc').first()) as { hlc: string | null } | undefined;
  // Another site's change stamped far ahead (an office clock set to 2030) moves the clock only so far, at a restart
  // as when it arrived; this site's own history always counts whole.
  if (newest?.hlc && decodeHlc(newest.hlc).siteId === row.id) clock.receive(newest.hlc);
  else if (newest?.hlc && clock.receiveRemote(newest.hlc)) {
    const own = (await knex('outbox').where({ site_id: row.id }).max('hlc as hlc').first()) as { hlc: string | null } | undefined;
    if (own?.hlc) clock.receive(own.hlc);
  }
  return { siteId: row.id, clock };
}
