import type { ScopedStore } from '../db/scoped-store.ts';
import { nameWords } from './search-key.ts';

/**
 * The ways of finding a unit, as rows of `unit_search_terms`: what the unit search reads instead of joining units,
 * occupancies and residents per keystroke. Derived from those three tables and rewritten with them (`reindexUnitSearch`
 * after every write to them), never synced: each site derives its own.
 *
 * - `code` and `number`: the unit's search keys (`a12`, `12`); they rank first when typed whole.
 * - `name`: every word-suffix of a current resident's name (`budisantosowijaya`, `santosowijaya`, `wijaya`), so a
 *   prefix of any word finds the unit, and several words typed together find it too.
 * - `phone`: a current resident's phone as digits of its E.164 form (`628112345678`).
 *
 * `listed` tells whether the resident agreed to be in the estate's directory: the guard post matches names only of
 * those. Codes and numbers are always listed.
 */
export type SearchTermKind = 'code' | 'number' | 'name' | 'phone';
export interface SearchTerm {
  term: string;
  kind: SearchTermKind;
  listed: boolean;
}

const MAX_TERM = 200;

export function unitSearchTerms(
  unit: { search_key: string | null; number_key: string | null },
  residents: readonly { name: string; phone: string | null; directory_opt_in: boolean | number }[],
): SearchTerm[] {
  const out: SearchTerm[] = [];
  const seen = new Set<string>();
  const add = (term: string | null, kind: SearchTermKind, listed: boolean) => {
    if (!term) return;
    const key = `${term}|${kind}|${listed}`;
    if (seen.has(key)) return;
    seen.add(key);
    out.push({ term: term.slice(0, MAX_TERM), kind, listed });
  };
  add(unit.search_key, 'code', true);
  if (unit.number_key !== unit.search_key) add(unit.number_key, 'number', true);
  for (const r of residents) {
    const listed = Boolean(r.directory_opt_in);
    const words = nameWords(r.name);
    for (let i = 0; i < words.length; i++) add(words.slice(i).join(''), 'name', listed);
    if (r.phone) add(phoneTerm(r.phone), 'phone', listed);
  }
  return out;
}

/** A stored E.164 phone (or a prefix of one, `+62811…`) as the digits its term holds. */
export function phoneTerm(e164: string): string {
  return e164.replace(/\D/g, '');
}

const CHUNK = 400;
const INSERT_ROWS = 100;
const TERM_VALUES = '(:estate_id, ?, ?, ?, ?, ?)';

/**
 * Rewrites the search terms of `unitIds` from their current rows: a deleted unit loses its terms, a renamed,
 * moved-in or moved-out resident's units get theirs anew. Call it in the transaction of the write.
 */
export async function reindexUnitSearch(store: ScopedStore, unitIds: Iterable<string | null | undefined>): Promise<void> {
  const ids = [...new Set([...unitIds].filter((id): id is string => typeof id === 'string' && id !== ''))];
  for (let start = 0; start < ids.length; start += CHUNK) {
    const chunk = ids.slice(start, start + CHUNK);
    const marks = chunk.map(() => '?').join(', ');
    await store.estateRows(`delete from "unit_search_terms" where "estate_id" = :estate_id and "unit_id" in (${marks})`, chunk);
    const units = await store.estateRows<{ id: string; sort_key: string; search_key: string | null; number_key: string | null }>(
      `select "id", "sort_key", "search_key", "number_key" from "units" where "estate_id" = :estate_id and "deleted_at" is null and "id" in (${marks})`,
      chunk,
    );
    if (!units.length) continue;
    const people = await store.estateRows<{ unit_id: string; name: string; phone: string | null; directory_opt_in: boolean | number }>(
      'select o."unit_id", r."name", r."phone", r."directory_opt_in" from "unit_occupancies" o join "residents" r on r."id" = o."resident_id" ' +
        `where o."estate_id" = :estate_id and o."deleted_at" is null and o."moved_out_on" is null and r."deleted_at" is null and o."unit_id" in (${marks})`,
      chunk,
    );
    const byUnit = new Map<string, typeof people>();
    for (const p of people) byUnit.set(p.unit_id, [...(byUnit.get(p.unit_id) ?? []), p]);
    const values: unknown[][] = [];
    for (const u of units)
      for (const t of unitSearchTerms(u, byUnit.get(u.id) ?? [])) values.push([u.id, t.term, t.kind, t.listed, u.sort_key]);
    // Full statements of a fixed size and one for the rest: few distinct texts for the prepared-statement caches.
    for (let i = 0; i < values.length; i += INSERT_ROWS) {
      const rows = values.slice(i, i + INSERT_ROWS);
      await store.estateRows(
        `insert into "unit_search_terms" ("estate_id", "unit_id", "term", "kind", "listed", "sort_key") values ${rows.map(() => TERM_VALUES).join(', ')}`,
        rows.flat(),
      );
    }
  }
}

/** The units a resident lives in now, whose terms change with the resident's name, phone or directory choice. */
export async function currentUnitsOf(store: ScopedStore, residentIds: readonly string[]): Promise<string[]> {
  if (!residentIds.length) return [];
  const rows = await store.estateRows<{ unit_id: string }>(
    'select "unit_id" from "unit_occupancies" where "estate_id" = :estate_id and "deleted_at" is null and "moved_out_on" is null ' +
      `and "resident_id" in (${residentIds.map(() => '?').join(', ')})`,
    residentIds,
  );
  return rows.map((r) => r.unit_id);
}
