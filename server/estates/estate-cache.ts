import type { Knex } from 'knex';

type EstateRow = { id: string; name: string; timezone: string } & Record<string, unknown>;

// Every estate route needs its estate's row; it changes rarely, so each process keeps it for a few seconds.
// Changes made through this process are seen at once (forgetEstate); another instance's within TTL_MS.
const TTL_MS = 5_000;
const cache = new Map<string, { row: EstateRow | undefined; at: number }>();

export async function liveEstate(knex: Knex, estateId: string): Promise<EstateRow | undefined> {
  const hit = cache.get(estateId);
  if (hit && Date.now() - hit.at < TTL_MS && hit.row) return hit.row;
  const row = (await knex('estates').where({ id: estateId }).whereNull('deleted_at').first()) as EstateRow | undefined;
  if (row) cache.set(estateId, { row, at: Date.now() });
  else cache.delete(estateId);
  return row;
}

export function forgetEstate(estateId: string): void {
  cache.delete(estateId);
}
