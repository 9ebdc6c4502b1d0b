import type { Knex } from 'knex';
import type { ScopedStore } from '../db/scoped-store.ts';
import { prefixUpperBound, querySearchKey } from './search-key.ts';

export interface UnitSearchOptions {
  q: string;
  limit: number;
  /**
   * The guard post: names are matched and shown only for residents who agreed to be listed in the estate's
   * directory, so the gate cannot be used to look up where someone lives who asked not to be found.
   */
  gate: boolean;
}

export interface UnitSearchHit {
  id: string;
  code: string;
  block: string | null;
  type: string;
  residents: { id: string; name: string; relation: string }[];
}

function keyRange(column: string, key: string, upper: string | null) {
  return (w: Knex.QueryBuilder) => {
    w.where(column, '>=', key);
    if (upper !== null) w.where(column, '<', upper);
  };
}

/**
 * Units whose code, house number or current resident's name starts with what was typed, exact codes first, then in
 * natural order. Every branch is a range over an index that starts with estate_id; there is no LIKE, so `%` and `_`
 * in the input are plain characters (and, being neither letter nor digit, drop out of the key).
 */
export async function searchUnits(store: ScopedStore, options: UnitSearchOptions): Promise<UnitSearchHit[]> {
  const key = querySearchKey(options.q);
  if (key === '') return [];
  const upper = prefixUpperBound(key);

  const residents = store
    .live('residents')
    .where((w) => {
      w.where(keyRange('residents.name_key', key, upper)).orWhere(keyRange('residents.name_key2', key, upper));
    });
  if (options.gate) residents.where('residents.directory_opt_in', true);
  const byName = store
    .live('unit_occupancies')
    .whereNull('unit_occupancies.moved_out_on')
    .whereIn('unit_occupancies.resident_id', residents.select('residents.id'))
    .select('unit_occupancies.unit_id');

  const rows: { id: string; code: string; block: string | null; type: string }[] = await store
    .live('units')
    .where((w) => {
      w.where(keyRange('units.search_key', key, upper))
        .orWhere(keyRange('units.number_key', key, upper))
        .orWhereIn('units.id', byName);
    })
    .orderByRaw('case when units.search_key = ? or units.number_key = ? then 0 else 1 end', [key, key])
    .orderBy('units.sort_key')
    .limit(options.limit)
    .select('units.id', 'units.code', 'units.block', 'units.type');

  const names = await currentResidents(store, rows.map((r) => r.id), options.gate);
  return rows.map((r) => ({ ...r, residents: names.get(r.id) ?? [] }));
}

async function currentResidents(store: ScopedStore, unitIds: string[], gate: boolean) {
  const out = new Map<string, { id: string; name: string; relation: string }[]>();
  if (!unitIds.length) return out;
  const q = store
    .live('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .whereIn('unit_occupancies.unit_id', unitIds)
    .whereNull('unit_occupancies.moved_out_on')
    .whereNull('residents.deleted_at')
    // The owner first: the name the office and the guard expect to read beside the code.
    .orderByRaw("case unit_occupancies.relation when 'owner' then 0 when 'tenant' then 1 else 2 end")
    .orderBy('residents.name')
    .select('unit_occupancies.unit_id', 'residents.id', 'residents.name', 'unit_occupancies.relation');
  if (gate) q.where('residents.directory_opt_in', true);
  for (const r of await q) {
    const list = out.get(r.unit_id) ?? [];
    list.push({ id: r.id, name: r.name, relation: r.relation });
    out.set(r.unit_id, list);
  }
  return out;
}
