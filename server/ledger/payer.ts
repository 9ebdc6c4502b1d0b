import { localDateOfInstant } from '../calendar/calendar.ts';
import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ValidationError } from '../http/errors.ts';

/**
 * Who paid for a unit. A payment records its payer when it is recorded, so a receipt keeps naming the person who
 * paid after they move out. When the treasurer does not name anyone, the payer is the person living in the unit
 * on the payment's date in the estate's calendar; payments recorded before the payer was kept use the same rule
 * when their receipt is read.
 */
export interface Payer {
  payer_name: string | null;
  payer_resident_id: string | null;
}

// The person living there pays the dues: a tenant before the owner, the owner before family.
const occupantsOnQuery = queryTemplate<'estateId' | 'unitId' | 'date'>((knex, p) =>
  knex('unit_occupancies as o')
    .join('residents as r', 'r.id', 'o.resident_id')
    .where('o.estate_id', p.estateId)
    .where('o.unit_id', p.unitId)
    .whereNull('o.deleted_at')
    .where((q) => q.whereNull('o.moved_in_on').orWhere('o.moved_in_on', '<=', p.date))
    // Moving out on a day hands that day to whoever moves in (the same reading as residency/occupancy.ts).
    .where((q) => q.whereNull('o.moved_out_on').orWhere('o.moved_out_on', '>', p.date))
    .orderByRaw("case o.relation when 'tenant' then 0 when 'owner' then 1 else 2 end")
    .orderBy([
      { column: 'o.moved_in_on', order: 'desc' },
      { column: 'o.created_at', order: 'desc' },
    ])
    .limit(1)
    .select('r.id', 'r.name'),
);

/** The unit's primary occupant on the estate-local day of `paidAt`, or no one. */
export async function occupantPayer(store: ScopedStore, unitId: string, paidAt: string): Promise<Payer> {
  const date = localDateOfInstant(paidAt, await store.timezone());
  const [row] = await store.select<{ id: string; name: string }>(occupantsOnQuery, { unitId, date });
  return row ? { payer_name: row.name, payer_resident_id: row.id } : { payer_name: null, payer_resident_id: null };
}

/**
 * The payer to record: the resident the treasurer (or the resident's own transfer proof) names, a name typed for
 * someone who is not a resident, or else the occupant on the payment date.
 */
export async function payerToRecord(
  store: ScopedStore,
  unitId: string,
  paidAt: string,
  named: { payer_resident_id?: string | null; payer_name?: string | null; includeRemovedResident?: boolean },
): Promise<Payer> {
  if (named.payer_resident_id) {
    const resident = await store.find<{ id: string; name: string }>('residents', named.payer_resident_id, {
      includeDeleted: named.includeRemovedResident === true,
    });
    if (!resident) throw new ValidationError('Penghuni pembayar tidak ditemukan.', 'payer_resident_id', 'UNKNOWN_RESIDENT');
    return { payer_name: named.payer_name ?? resident.name, payer_resident_id: resident.id };
  }
  if (named.payer_name) return { payer_name: named.payer_name, payer_resident_id: null };
  return occupantPayer(store, unitId, paidAt);
}
