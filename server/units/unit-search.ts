import type { ScopedStore } from '../db/scoped-store.ts';
import { phoneSearchPrefix, prefixUpperBound, querySearchKey } from './search-key.ts';
import { phoneTerm } from './search-terms.ts';

export interface UnitSearchOptions {
  q: string;
  limit: number;
  /**
   * The guard post: names are matched and shown only for residents who agreed to be listed in the estate's
   * directory, so the gate cannot be used to look up where someone lives who asked not to be found. A phone number
   * finds its unit at the gate only when typed whole: a visitor who knows the host's number may be let in to them,
   * while a prefix would let anyone page through residents' numbers.
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

export interface UnitSearchResult {
  items: UnitSearchHit[];
  /** More units match than were returned: the person typing should type more. */
  more: boolean;
}

/** `column` within [key, upper): a prefix as an index range (no upper bound after `zzz`). */
function inRange(column: string, upper: string | null): string {
  return upper === null ? `${column} >= ?` : `${column} >= ? and ${column} < ?`;
}

function rangeValues(key: string, upper: string | null): string[] {
  return upper === null ? [key] : [key, upper];
}

/**
 * Units whose code, house number, current resident's name (from any word) or resident's phone starts with what was
 * typed, exact codes and numbers first, then in natural order. One range over `unit_search_terms`
 * (server/units/search-terms.ts), answered from its covering index: a surname shared by 600 residents reads 600 index
 * entries and sorts them, instead of looking up each one's occupancy and unit. There is no LIKE, so `%` and `_` in
 * the input are plain characters (and, being neither letter nor digit, drop out of the key).
 *
 * Hand-written SQL through `estateRows`, not the knex builder: on SQLite it runs straight on the connection with
 * prepared statements, and building queries per keystroke cost more than running them.
 */
export async function findUnits(store: ScopedStore, options: UnitSearchOptions): Promise<UnitSearchResult> {
  const key = querySearchKey(options.q);
  if (key === '') return { items: [], more: false };
  const upper = prefixUpperBound(key);
  const phone = phoneSearchPrefix(options.q);

  const branches = [
    'select t."unit_id", t."sort_key", case when t."kind" <> \'name\' and t."term" = ? then 0 else 1 end as "rank" ' +
      `from "unit_search_terms" t where t."estate_id" = :estate_id and ${inRange('t."term"', upper)} and t."kind" <> 'phone'` +
      (options.gate ? ' and t."listed" = ?' : ''),
  ];
  const bindings: unknown[] = [key, ...rangeValues(key, upper), ...(options.gate ? [true] : [])];
  if (phone) {
    const digits = phoneTerm(phone);
    const phoneUpper = prefixUpperBound(digits);
    branches.push(
      'select t."unit_id", t."sort_key", 1 as "rank" from "unit_search_terms" t where t."estate_id" = :estate_id and t."kind" = \'phone\' and ' +
        (options.gate ? 't."term" = ?' : inRange('t."term"', phoneUpper)),
    );
    bindings.push(...(options.gate ? [digits] : rangeValues(digits, phoneUpper)));
  }
  // A unit comes once per matching term (two residents named Budi; "Budi Budiman" by `budi`): sorted by rank first, its
  // first row carries its best rank, and the rest are dropped here. No GROUP BY: grouping every match before sorting
  // cost as much again as the sort, which with LIMIT keeps only the first rows. Fetching twice the rows needed is
  // nearly always enough; when duplicates eat into it, the next round fetches more.
  const sql = `select m."unit_id" from (${branches.join(' union all ')}) m ` + 'order by m."rank", m."sort_key", m."unit_id" limit ?';
  const ids: string[] = [];
  for (let fetch = (options.limit + 1) * 2; ; fetch *= 4) {
    const rows = await store.estateRows<{ unit_id: string }>(sql, [...bindings, fetch]);
    ids.length = 0;
    const seen = new Set<string>();
    for (const r of rows) {
      if (seen.has(r.unit_id)) continue;
      seen.add(r.unit_id);
      ids.push(r.unit_id);
      if (ids.length > options.limit) break;
    }
    if (ids.length > options.limit || rows.length < fetch) break;
  }
  const more = ids.length > options.limit;
  ids.length = Math.min(ids.length, options.limit);
  return { items: await unitsWithResidents(store, ids, options.gate), more };
}

/** The first `limit` units the search finds, for callers that only pick among them. */
export async function searchUnits(store: ScopedStore, options: UnitSearchOptions): Promise<UnitSearchHit[]> {
  return (await findUnits(store, options)).items;
}

/** The units `ids` in that order, each with its current residents, owner first (the name expected beside a code). */
async function unitsWithResidents(store: ScopedStore, ids: string[], gate: boolean): Promise<UnitSearchHit[]> {
  if (!ids.length) return [];
  const rows = await store.estateRows<{
    id: string;
    code: string;
    block: string | null;
    type: string;
    resident_id: string | null;
    name: string | null;
    relation: string | null;
  }>(
    // The ids drive the join (CROSS JOIN keeps SQLite's loop order): given `estate_id = ?` and twenty ids, SQLite
    // would rather walk the estate's units by an index on estate_id than look the twenty up.
    `select u."id", u."code", u."block", u."type", r."id" as "resident_id", r."name", o."relation" from (values ${ids.map(() => '(?)').join(', ')}) ids ` +
      'cross join "units" u ' +
      'left join "unit_occupancies" o on o."estate_id" = :estate_id and o."unit_id" = u."id" and o."deleted_at" is null and o."moved_out_on" is null ' +
      `left join "residents" r on r."id" = o."resident_id" and r."deleted_at" is null${gate ? ' and r."directory_opt_in" = ?' : ''} ` +
      'where u."id" = ids."column1" and u."estate_id" = :estate_id ' +
      `order by case o."relation" when 'owner' then 0 when 'tenant' then 1 else 2 end, r."name"`,
    gate ? [...ids, true] : ids,
  );
  const hits = new Map<string, UnitSearchHit>();
  for (const r of rows) {
    let hit = hits.get(r.id);
    if (!hit) {
      hit = { id: r.id, code: r.code, block: r.block, type: r.type, residents: [] };
      hits.set(r.id, hit);
    }
    if (r.resident_id && r.name !== null && r.relation !== null)
      hit.residents.push({ id: r.resident_id, name: r.name, relation: r.relation });
  }
  return ids.flatMap((id) => hits.get(id) ?? []);
}
