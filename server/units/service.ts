import type { Knex } from 'knex';
import { ConflictError } from '../http/errors.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { blockOf, unitSortKey } from './unit-code.ts';
import { phoneSearchPrefix, prefixUpperBound, querySearchKey, unitSearchKeys } from './search-key.ts';
import { phoneTerm, reindexUnitSearch } from './search-terms.ts';
import type { UnitCreate, UnitListQuery, UnitPatch } from './schemas.ts';

export interface UnitRow {
  id: string;
  estate_id: string;
  code: string;
  sort_key: string;
  block: string | null;
  type: string;
  land_area_m2: number | null;
  building_area_m2: number | null;
  occupancy: string;
  notes: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

export interface UnitResidentSummary {
  id: string;
  name: string;
  relation: string;
}

export function serializeUnit(u: UnitRow, residents: UnitResidentSummary[] = []) {
  return {
    id: u.id,
    code: u.code,
    block: u.block,
    type: u.type,
    land_area_m2: u.land_area_m2 ?? null,
    building_area_m2: u.building_area_m2 ?? null,
    occupancy: u.occupancy,
    notes: u.notes ?? null,
    created_at: u.created_at,
    updated_at: u.updated_at,
    residents,
  };
}

async function assertCodeFree(store: ScopedStore, code: string, exceptId?: string): Promise<void> {
  const q = store.live('units').where('units.code', code);
  if (exceptId) q.whereNot('units.id', exceptId);
  if (await q.first('units.id')) throw new ConflictError('DUPLICATE', `Unit ${code} sudah ada.`, 'code');
}

/** The columns of a new unit, derived ones (natural-sort and search keys, block) included; shared with the import. */
export function newUnitValues(input: UnitCreate) {
  return {
    code: input.code,
    sort_key: unitSortKey(input.code),
    ...unitSearchKeys(input.code),
    block: input.block ?? blockOf(input.code),
    type: input.type,
    land_area_m2: input.land_area_m2 ?? null,
    building_area_m2: input.building_area_m2 ?? null,
    occupancy: input.occupancy,
    notes: input.notes ?? null,
  };
}

export async function createUnit(store: ScopedStore, input: UnitCreate): Promise<UnitRow> {
  return store.transaction(async (tx) => {
    await assertCodeFree(tx, input.code);
    const unit = await tx.insert<UnitRow>('units', newUnitValues(input));
    await reindexUnitSearch(tx, [unit.id]);
    return unit;
  });
}

export async function updateUnit(store: ScopedStore, id: string, patch: UnitPatch): Promise<UnitRow> {
  return store.transaction(async (tx) => {
    const current = await tx.get<UnitRow>('units', id, 'Unit');
    const changes: Record<string, unknown> = { ...patch };
    if (patch.code && patch.code !== current.code) {
      await assertCodeFree(tx, patch.code, id);
      changes.sort_key = unitSortKey(patch.code);
      Object.assign(changes, unitSearchKeys(patch.code));
      if (patch.block === undefined && current.block === blockOf(current.code)) changes.block = blockOf(patch.code);
    }
    const unit = await tx.update<UnitRow>('units', id, changes);
    if (changes.search_key !== undefined) await reindexUnitSearch(tx, [id]);
    return unit;
  });
}

export async function deleteUnit(store: ScopedStore, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.softDelete('units', id);
    await reindexUnitSearch(tx, [id]);
  });
}

export async function findUnitByCode(store: ScopedStore, code: string): Promise<UnitRow | undefined> {
  return store.live('units').where('units.code', code).first();
}

/** Current residents of the given units, for list and detail views. */
export async function residentsOfUnits(store: ScopedStore, unitIds: string[]): Promise<Map<string, UnitResidentSummary[]>> {
  const out = new Map<string, UnitResidentSummary[]>();
  if (!unitIds.length) return out;
  const rows = await store
    .live('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .whereIn('unit_occupancies.unit_id', unitIds)
    .whereNull('unit_occupancies.moved_out_on')
    .whereNull('residents.deleted_at')
    .orderBy('residents.name')
    .select('unit_occupancies.unit_id', 'residents.id', 'residents.name', 'unit_occupancies.relation');
  for (const r of rows) {
    const list = out.get(r.unit_id) ?? [];
    list.push({ id: r.id, name: r.name, relation: r.relation });
    out.set(r.unit_id, list);
  }
  return out;
}

/**
 * Ids of the units that `typed` finds by the unit search's rules (server/units/unit-search.ts): a code in any spelling
 * or a house number as a prefix of its key, a current resident's name from any word, or a phone typed as `0811…`.
 * Ranges over `unit_search_terms`, so counting and paging the matches never walk the estate's other units.
 */
function matchingUnitIds(store: ScopedStore, typed: string): Knex.QueryBuilder {
  const key = querySearchKey(typed);
  const phone = phoneSearchPrefix(typed);
  // Nothing searchable typed (only punctuation): nothing found, as in the unit search.
  if (key === '') return store.live('units').whereRaw('1 = 0').select('units.id');
  const range = (prefix: string) => (w: Knex.QueryBuilder) => {
    const upper = prefixUpperBound(prefix);
    w.where('unit_search_terms.term', '>=', prefix);
    if (upper !== null) w.where('unit_search_terms.term', '<', upper);
  };
  return store
    .query('unit_search_terms')
    .where((w) => {
      w.where((k) => k.where(range(key)).whereNot('unit_search_terms.kind', 'phone'));
      if (phone) w.orWhere((p) => p.where(range(phoneTerm(phone))).where('unit_search_terms.kind', 'phone'));
    })
    .distinct('unit_search_terms.unit_id as id');
}

export async function listUnits(store: ScopedStore, query: UnitListQuery) {
  const base = store.live('units');
  if (query.block) base.where('units.block', query.block.toUpperCase());
  if (query.type) base.where('units.type', query.type);
  if (query.occupancy) base.where('units.occupancy', query.occupancy);
  if (query.q) base.join(matchingUnitIds(store, query.q).as('matched'), 'matched.id', 'units.id');
  const [{ total }] = await base.clone().count({ total: '*' });
  const rows: UnitRow[] = await base
    .orderBy(query.sort === 'updated_at' ? 'units.updated_at' : 'units.sort_key', query.sort === 'updated_at' ? 'desc' : 'asc')
    .limit(query.limit)
    .offset(query.offset)
    .select('units.*');
  const residents = await residentsOfUnits(
    store,
    rows.map((r) => r.id),
  );
  return {
    items: rows.map((u) => serializeUnit(u, residents.get(u.id) ?? [])),
    total: Number(total),
    limit: query.limit,
    offset: query.offset,
  };
}

export async function unitHistory(store: ScopedStore, unitId: string) {
  await store.get('units', unitId, 'Unit');
  const rows = await store
    .live('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .where('unit_occupancies.unit_id', unitId)
    .orderBy([
      { column: 'unit_occupancies.moved_in_on', order: 'desc' },
      { column: 'unit_occupancies.created_at', order: 'desc' },
    ])
    .select(
      'unit_occupancies.id',
      'unit_occupancies.resident_id',
      'residents.name',
      'unit_occupancies.relation',
      'unit_occupancies.moved_in_on',
      'unit_occupancies.moved_out_on',
    );
  return { items: rows };
}
