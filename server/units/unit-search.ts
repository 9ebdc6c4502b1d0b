import type { Knex } from 'knex';
import type { ScopedStore } from '../db/scoped-store.ts';
import { prefixUpperBound, querySearchKey, unitSearchKeys } from './search-key.ts';

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

  const exact = ['case when units.search_key = ? or units.number_key = ? then 0 else 1 end', [key, key]] as const;
  const columns = ['units.id', 'units.code', 'units.block', 'units.type', 'units.sort_key'];
  const ordered = (q: Knex.QueryBuilder) =>
    q
      .orderByRaw(exact[0], [...exact[1]])
      .orderBy('units.sort_key')
      .limit(options.limit);

  // Three small queries, each walking one index range and stopping at `limit`, merged here. One query with an OR (or
  // a UNION under IN) leads SQLite to walk every unit of the estate and filter, which is the scan this replaces. The
  // overall first `limit` in (exact, natural) order is always among the three branches' first `limit`.
  const byCode = ordered(store.live('units').where(keyRange('units.search_key', key, upper))).select(columns);
  const byNumber = ordered(store.live('units').where(keyRange('units.number_key', key, upper))).select(columns);
  const residents = store.live('residents').where((w) => {
    w.where(keyRange('residents.name_key', key, upper)).orWhere(keyRange('residents.name_key2', key, upper));
  });
  if (options.gate) residents.where('residents.directory_opt_in', true);
  // Matching residents first (two index ranges), then their current links, then their units.
  const byName = ordered(
    store
      .live('unit_occupancies')
      .whereNull('unit_occupancies.moved_out_on')
      .whereIn('unit_occupancies.resident_id', residents.select('residents.id'))
      .join('units', 'units.id', 'unit_occupancies.unit_id')
      .whereNull('units.deleted_at')
      // One row per unit when two of its residents match; grouping by the key lets PostgreSQL order by unit columns.
      .groupBy('units.id'),
  ).select(columns);

  type Row = { id: string; code: string; block: string | null; type: string; sort_key: string };
  const seen = new Map<string, Row>();
  for (const list of (await Promise.all([byCode, byNumber, byName])) as Row[][]) for (const r of list) seen.set(r.id, r);
  const rank = (r: Row) => (unitKeysMatch(r, key) ? 0 : 1);
  const rows = [...seen.values()]
    .sort((a, b) => rank(a) - rank(b) || (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : 0))
    .slice(0, options.limit)
    .map(({ sort_key: _sortKey, ...r }) => r);

  const names = await currentResidents(
    store,
    rows.map((r) => r.id),
    options.gate,
  );
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

function unitKeysMatch(unit: { code: string }, key: string): boolean {
  const keys = unitSearchKeys(unit.code);
  return keys.search_key === key || keys.number_key === key;
}
