// Small builders for data-layer tests: estates (not estate-scoped, written directly) and scoped stores.
import type { Knex } from 'knex';
import { nowIso } from '../../server/db/clock.ts';
import { newId } from '../../server/db/ids.ts';
import { ScopedStore, type Actor } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';

export const TEST_ACTOR: Actor = { userId: null, role: 'estate_admin' };

export async function createEstate(knex: Knex, name: string): Promise<string> {
  const at = nowIso();
  const id = newId();
  await knex('estates').insert({ id, name, timezone: 'Asia/Jakarta', settings: '{}', created_at: at, updated_at: at });
  return id;
}

export async function storeFor(knex: Knex, estateId: string): Promise<ScopedStore> {
  return new ScopedStore(knex, estateId, TEST_ACTOR, await loadSyncContext(knex, 'site-test'));
}

export async function countRows(knex: Knex, table: string, where: Record<string, unknown> = {}): Promise<number> {
  const row = await knex(table).where(where).count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}

export const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
