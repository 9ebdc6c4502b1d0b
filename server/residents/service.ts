import type { ScopedStore } from '../db/scoped-store.ts';
import { estateToday } from '../calendar/calendar.ts';
import { ValidationError } from '../http/errors.ts';
import { currentUnitsOf, reindexUnitSearch, residentNameKeys } from '../units/index.ts';
import type { ResidentCreate, ResidentListQuery, ResidentPatch } from './schemas.ts';

export interface ResidentRow {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  directory_opt_in: boolean | number;
  notes: string | null;
  created_at: string;
  updated_at: string;
}

interface OccupancyRow {
  id: string;
  unit_id: string;
  unit_code?: string;
  resident_id: string;
  relation: string;
  moved_in_on: string | null;
  moved_out_on: string | null;
}

export function serializeResident(r: ResidentRow, occ?: OccupancyRow) {
  return {
    id: r.id,
    name: r.name,
    phone: r.phone,
    email: r.email,
    unit_id: occ?.unit_id ?? null,
    unit_code: occ?.unit_code ?? null,
    relation: occ?.relation ?? null,
    moved_in_on: occ?.moved_in_on ?? null,
    moved_out_on: occ?.moved_out_on ?? null,
    directory_opt_in: Boolean(r.directory_opt_in),
    notes: r.notes ?? null,
    created_at: r.created_at,
    updated_at: r.updated_at,
  };
}

/** The resident's most recent link to a unit (current if moved_out_on is empty). */
async function latestOccupancy(store: ScopedStore, residentId: string): Promise<OccupancyRow | undefined> {
  return store
    .live('unit_occupancies')
    .join('units', 'units.id', 'unit_occupancies.unit_id')
    .where('unit_occupancies.resident_id', residentId)
    .orderByRaw('CASE WHEN unit_occupancies.moved_out_on IS NULL THEN 0 ELSE 1 END')
    .orderBy('unit_occupancies.created_at', 'desc')
    .first('unit_occupancies.*', 'units.code as unit_code');
}

/** Links a resident to a(nother) unit without closing their current link: an owner of two houses. */
export async function linkResidentToUnit(
  store: ScopedStore,
  residentId: string,
  unitId: string,
  relation: string,
  movedInOn: string | null,
) {
  await store.transaction(async (tx) => {
    await openOccupancy(tx, residentId, unitId, relation, movedInOn);
    await reindexUnitSearch(tx, [unitId]);
  });
}

async function openOccupancy(store: ScopedStore, residentId: string, unitId: string, relation: string, movedInOn: string | null) {
  await store.get('units', unitId, 'Unit');
  await store.insert('unit_occupancies', {
    unit_id: unitId,
    resident_id: residentId,
    relation,
    moved_in_on: movedInOn,
    moved_out_on: null,
  });
}

/** The columns of a new resident, the search keys of their name included; shared with the import. */
export function newResidentValues(input: Pick<ResidentCreate, 'name' | 'phone' | 'email' | 'directory_opt_in' | 'notes'>) {
  return {
    name: input.name,
    ...residentNameKeys(input.name),
    phone: input.phone ?? null,
    email: input.email ?? null,
    directory_opt_in: input.directory_opt_in,
    notes: input.notes ?? null,
  };
}

export async function createResident(store: ScopedStore, input: ResidentCreate): Promise<ResidentRow> {
  return store.transaction(async (tx) => {
    if (input.unit_id)
      await tx.get('units', input.unit_id, 'Unit').catch(() => {
        throw new ValidationError('Unit tidak ditemukan.', 'unit_id', 'UNKNOWN_UNIT');
      });
    const resident = await tx.insert<ResidentRow & Record<string, unknown>>('residents', newResidentValues(input));
    if (input.unit_id) {
      await openOccupancy(tx, resident.id, input.unit_id, input.relation ?? 'owner', input.moved_in_on ?? null);
      await reindexUnitSearch(tx, [input.unit_id]);
    }
    return resident;
  });
}

export async function updateResident(store: ScopedStore, id: string, patch: ResidentPatch): Promise<ResidentRow> {
  return store.transaction(async (tx) => {
    // The units the resident leaves and joins, and those whose search terms hold their name or phone.
    const unitsBefore = await currentUnitsOf(tx, [id]);
    const updated = await patchResident(tx, id, patch);
    await reindexUnitSearch(tx, [...unitsBefore, ...(await currentUnitsOf(tx, [id]))]);
    return updated;
  });
}

async function patchResident(store: ScopedStore, id: string, patch: ResidentPatch): Promise<ResidentRow> {
  return store.transaction(async (tx) => {
    const current = await tx.get<ResidentRow>('residents', id, 'Penghuni');
    const { unit_id, relation, moved_in_on, moved_out_on, ...own } = patch;
    const occ = await latestOccupancy(tx, id);
    const currentOcc = occ && !occ.moved_out_on ? occ : undefined;
    if (unit_id !== undefined && unit_id !== (currentOcc?.unit_id ?? null)) {
      // Moving to another unit closes the current link and opens a new one, so the unit keeps its history.
      if (unit_id)
        await tx.get('units', unit_id, 'Unit').catch(() => {
          throw new ValidationError('Unit tidak ditemukan.', 'unit_id', 'UNKNOWN_UNIT');
        });
      const today = estateToday(await tx.timezone());
      if (currentOcc) await tx.update('unit_occupancies', currentOcc.id, { moved_out_on: moved_out_on ?? today }, 'residents.move_out');
      if (unit_id) await openOccupancy(tx, id, unit_id, relation ?? currentOcc?.relation ?? 'owner', moved_in_on ?? today);
    } else if (currentOcc) {
      const occPatch: Record<string, unknown> = {};
      if (relation !== undefined) occPatch.relation = relation;
      if (moved_in_on !== undefined) occPatch.moved_in_on = moved_in_on;
      if (moved_out_on !== undefined) {
        if (moved_out_on && currentOcc.moved_in_on && moved_out_on < currentOcc.moved_in_on) {
          throw new ValidationError('Tanggal pindah keluar sebelum tanggal masuk.', 'moved_out_on');
        }
        occPatch.moved_out_on = moved_out_on;
      }
      if (Object.keys(occPatch).length) {
        await tx.update('unit_occupancies', currentOcc.id, occPatch, moved_out_on ? 'residents.move_out' : 'unit_occupancies.update');
      }
    } else if (relation !== undefined || moved_out_on) {
      throw new ValidationError('Penghuni ini tidak terhubung dengan unit.', 'unit_id', 'NO_UNIT');
    }
    if (Object.keys(own).length) {
      return tx.update<ResidentRow & Record<string, unknown>>(
        'residents',
        id,
        own.name === undefined ? own : { ...own, ...residentNameKeys(own.name) },
      );
    }
    return current;
  });
}

export async function deleteResident(store: ScopedStore, id: string): Promise<void> {
  await store.transaction(async (tx) => {
    await tx.get('residents', id, 'Penghuni');
    const open = await tx.live('unit_occupancies').where({ resident_id: id }).whereNull('moved_out_on').select('id', 'unit_id');
    const today = estateToday(await tx.timezone());
    for (const o of open) await tx.update('unit_occupancies', o.id, { moved_out_on: today }, 'residents.move_out');
    await tx.softDelete('residents', id);
    await reindexUnitSearch(
      tx,
      open.map((o: { unit_id: string }) => o.unit_id),
    );
  });
}

export async function getResident(store: ScopedStore, id: string) {
  const r = await store.get<ResidentRow>('residents', id, 'Penghuni');
  return serializeResident(r, await latestOccupancy(store, id));
}

export async function listResidents(store: ScopedStore, query: ResidentListQuery) {
  // One row per resident with their current (or, if asked, latest) unit link.
  const base = store
    .live('residents')
    .leftJoin('unit_occupancies as o', function () {
      this.on('o.resident_id', '=', 'residents.id').andOnNull('o.deleted_at');
      if (!query.include_moved_out) this.andOnNull('o.moved_out_on');
    })
    .leftJoin('units as u', 'u.id', 'o.unit_id');
  if (query.unit_id) base.where('o.unit_id', query.unit_id);
  if (query.relation) base.where('o.relation', query.relation);
  if (query.q) {
    const q = query.q.toLowerCase().replace(/[%_\\]/g, (c) => `\\${c}`);
    const digits = query.q.replace(/\D/g, '').replace(/^0/, '');
    base.where((w) => {
      w.whereRaw("lower(residents.name) like ? escape '\\'", [`%${q}%`]).orWhere('u.code', 'like', `${q.toUpperCase()}%`);
      if (digits.length >= 4) w.orWhere('residents.phone', 'like', `%${digits}%`);
    });
  }
  const [{ total }] = await base.clone().countDistinct({ total: 'residents.id' });
  const rows = await base
    .orderBy('residents.name')
    .orderBy('residents.id')
    .limit(query.limit)
    .offset(query.offset)
    .select('residents.*', 'o.unit_id', 'o.relation', 'o.moved_in_on', 'o.moved_out_on', 'u.code as unit_code', 'o.id as occupancy_id');
  return {
    items: rows.map((r: ResidentRow & OccupancyRow & { occupancy_id: string | null }) =>
      serializeResident(r, r.occupancy_id ? r : undefined),
    ),
    total: Number(total),
    limit: query.limit,
    offset: query.offset,
  };
}
