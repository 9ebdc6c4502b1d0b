import type { ScopedStore } from '../db/scoped-store.ts';

/** Today in the estate's calendar, for comparing with `moved_out_on` dates. */
export function estateToday(timezone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: timezone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

/**
 * The unit a resident currently lives in, or undefined once they moved out (or were removed). Resident passes live
 * exactly as long as this answer is a unit.
 */
export async function currentUnitOf(store: ScopedStore, residentId: string, today: string): Promise<string | undefined> {
  const row = await store
    .query('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .whereNull('residents.deleted_at')
    .whereNull('unit_occupancies.deleted_at')
    .where('unit_occupancies.resident_id', residentId)
    .where((q) => q.whereNull('unit_occupancies.moved_out_on').orWhere('unit_occupancies.moved_out_on', '>', today))
    .orderBy('unit_occupancies.created_at', 'desc')
    .first('unit_occupancies.unit_id');
  return row?.unit_id;
}
