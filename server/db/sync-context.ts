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
  return { siteId: row.id, clock: new HybridLogicalClock(row.id) };
}
