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

type Row = { id: string; code: string; block: string | null; type: string; sort_key: string; search_key: string; number_key: string };

const UNIT_COLUMNS = 'u."id", u."code", u."block", u."type", u."sort_key", u."search_key", u."number_key"';
const EXACT_FIRST = 'case when u."search_key" = ? or u."number_key" = ? then 0 else 1 end, u."sort_key"';

/** `column` within [key, upper): a prefix as an index range (no upper bound after `zzz`). */
function inRange(column: string, upper: string | null): string {
  return upper === null ? `${column} >= ?` : `${column} >= ? and ${column} < ?`;
}

function rangeValues(key: string, upper: string | null): string[] {
  return upper === null ? [key] : [key, upper];
}

/**
 * Units whose code, house number or current resident's name starts with what was typed, exact codes first, then in
 * natural order. Every branch is a range over an index that starts with estate_id; there is no LIKE, so `%` and `_`
 * in the input are plain characters (and, being neither letter nor digit, drop out of the key).
 *
 * Hand-written SQL through `estateRows`, not the knex builder: on SQLite it runs straight on the connection with
 * prepared statements, and building four small queries per keystroke cost more than running them.
 */
export async function searchUnits(store: ScopedStore, options: UnitSearchOptions): Promise<UnitSearchHit[]> {
  const key = querySearchKey(options.q);
  if (key === '') return [];
  const upper = prefixUpperBound(key);
  const range = rangeValues(key, upper);

  // Three small queries, each walking one index range and stopping at `limit`, merged here. One query with an OR (or
  // a UNION under IN) leads SQLite to walk every unit of the estate and filter, which is the scan this replaces. The
  // overall first `limit` in (exact, natural) order is always among the three branches' first `limit`: an exact unit
  // is first in the code or number branch, so the name branch needs natural order only.
  const byKey = (column: string) =>
    store.estateRows<Row>(
      `select ${UNIT_COLUMNS} from "units" u where u."estate_id" = :estate_id and u."deleted_at" is null and ` +
        `${inRange(`u."${column}"`, upper)} order by ${EXACT_FIRST} limit ?`,
      [...range, key, key, options.limit],
    );
  const optIn = options.gate ? ' and r."directory_opt_in" = ?' : '';
  const matching =
    'select r."id" from "residents" r where r."estate_id" = :estate_id and r."deleted_at" is null and ' +
    `((${inRange('r."name_key"', upper)}) or (${inRange('r."name_key2"', upper)}))${optIn}`;
  // Matching residents first (two index ranges), then their current links, then their units. Not `units where id in
  // (…)`: SQLite would walk every unit in natural order looking for the few that match.
  const byName = store.estateRows<Row>(
    `select ${UNIT_COLUMNS} from "unit_occupancies" o join "units" u on u."id" = o."unit_id" ` +
      `where o."estate_id" = :estate_id and o."deleted_at" is null and o."moved_out_on" is null and o."resident_id" in (${matching}) ` +
      // One row per unit when two of its residents match; grouping by the key lets PostgreSQL order by unit columns.
      'and u."deleted_at" is null group by u."id" order by u."sort_key" limit ?',
    [...range, ...range, ...(options.gate ? [true] : []), options.limit],
  );

  const seen = new Map<string, Row & { rank: number }>();
  for (const list of await Promise.all([byKey('search_key'), byKey('number_key'), byName]))
    for (const r of list) seen.set(r.id, { ...r, rank: r.search_key === key || r.number_key === key ? 0 : 1 });
  const rows = [...seen.values()]
    .sort((a, b) => a.rank - b.rank || (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : 0))
    .slice(0, options.limit)
    .map(({ id, code, block, type }) => ({ id, code, block, type }));

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
  const rows = await store.estateRows<{ unit_id: string; id: string; name: string; relation: string }>(
    'select o."unit_id", r."id", r."name", o."relation" from "unit_occupancies" o join "residents" r on r."id" = o."resident_id" ' +
      `where o."estate_id" = :estate_id and o."deleted_at" is null and o."unit_id" in (${unitIds.map(() => '?').join(', ')}) ` +
      `and o."moved_out_on" is null and r."deleted_at" is null${gate ? ' and r."directory_opt_in" = ?' : ''} ` +
      // The owner first: the name the office and the guard expect to read beside the code.
      `order by case o."relation" when 'owner' then 0 when 'tenant' then 1 else 2 end, r."name"`,
    gate ? [...unitIds, true] : unitIds,
  );
  for (const r of rows) {
    const list = out.get(r.unit_id) ?? [];
    list.push({ id: r.id, name: r.name, relation: r.relation });
    out.set(r.unit_id, list);
  }
  return out;
}
