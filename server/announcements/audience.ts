import { estateToday } from '../calendar/calendar.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

export interface Audience {
  blocks: string[];
  unitIds: string[];
  ownersOnly: boolean;
}

/** Occupancies current on `today` (the residency rule, read for many units at once). */
function currentOccupancies(store: ScopedStore, today: string) {
  return store
    .live('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .whereNull('residents.deleted_at')
    .where((q) => q.whereNull('unit_occupancies.moved_in_on').orWhere('unit_occupancies.moved_in_on', '<=', today))
    .where((q) => q.whereNull('unit_occupancies.moved_out_on').orWhere('unit_occupancies.moved_out_on', '>', today));
}

/**
 * The units an announcement reaches, decided when it is published: everyone, or the chosen blocks and units
 * together; owners only keeps the units that have an owner living there on the estate's today.
 */
export async function audienceUnits(store: ScopedStore, audience: Audience): Promise<{ id: string; code: string }[]> {
  const q = store.live('units').orderBy('sort_key').select('units.id', 'units.code');
  if (audience.blocks.length || audience.unitIds.length) {
    q.where((w) => {
      if (audience.blocks.length) w.orWhereIn('units.block', audience.blocks);
      if (audience.unitIds.length) w.orWhereIn('units.id', audience.unitIds);
    });
  }
  const units = (await q) as { id: string; code: string }[];
  if (!audience.ownersOnly || !units.length) return units;
  const owners = await ownersOf(
    store,
    units.map((u) => u.id),
  );
  return units.filter((u) => owners.has(u.id));
}

/** unit id → the resident ids of its owners living there today. */
export async function ownersOf(store: ScopedStore, unitIds: string[]): Promise<Map<string, string[]>> {
  const today = estateToday(await store.timezone());
  const owners = new Map<string, string[]>();
  for (let i = 0; i < unitIds.length; i += 500) {
    const rows = (await currentOccupancies(store, today)
      .where('unit_occupancies.relation', 'owner')
      .whereIn('unit_occupancies.unit_id', unitIds.slice(i, i + 500))
      .select('unit_occupancies.unit_id', 'unit_occupancies.resident_id')) as { unit_id: string; resident_id: string }[];
    for (const r of rows) owners.set(r.unit_id, [...(owners.get(r.unit_id) ?? []), r.resident_id]);
  }
  return owners;
}
