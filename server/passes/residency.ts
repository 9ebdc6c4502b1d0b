import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

/**
 * The unit a resident currently lives in, or undefined once they moved out (or were removed). Resident passes live
 * exactly as long as this answer is a unit.
 */
// A resident's pass is checked against where they live on every scan (see queryTemplate).
const currentUnitQuery = queryTemplate<'estateId' | 'residentId' | 'today'>((knex, p) =>
  knex('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .where('unit_occupancies.estate_id', p.estateId)
    .whereNull('residents.deleted_at')
    .whereNull('unit_occupancies.deleted_at')
    .where('unit_occupancies.resident_id', p.residentId)
    .where((q) => q.whereNull('unit_occupancies.moved_out_on').orWhere('unit_occupancies.moved_out_on', '>', p.today))
    .orderBy('unit_occupancies.created_at', 'desc')
    .first('unit_occupancies.unit_id'),
);

export async function currentUnitOf(store: ScopedStore, residentId: string, today: string): Promise<string | undefined> {
  const [row] = await currentUnitQuery<{ unit_id: string }>(store.knex, { estateId: store.estateId, residentId, today });
  return row?.unit_id;
}
