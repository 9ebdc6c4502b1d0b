import crypto from 'node:crypto';
import type { Knex } from 'knex';
import { HybridLogicalClock } from '../sync/hlc.ts';
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
  if (newest?.hlc) clock.receive(newest.hlc);
  return { siteId: row.id, clock };
}
