import type { Knex } from 'knex';
import { estateToday } from '../calendar/calendar.ts';
import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

/**
 * The one rule for "which units does this resident live in": an occupancy of theirs, not removed, of a resident
 * record not removed, moved in on or before the estate's today (or with no move-in date) and not moved out by then.
 * Moving out on a day hands that day to whoever moves in. Owners, tenants and family count alike, and an owner of two
 * houses lives in both as far as the estate is concerned: the portal, passes, the gate and receipts all ask here.
 */
export interface Residence {
  unitId: string;
  unitCode: string | null;
  relation: string;
  movedInOn: string | null;
  /** For an occupancy entered without a move-in date: when the occupant before them left, if anyone did. */
  previousMovedOutOn: string | null;
}

type Params = 'estateId' | 'residentId' | 'today';

function currentOccupancies(knex: Knex, p: Record<Params, string>) {
  return knex('unit_occupancies as o')
    .join('residents as r', (j) => j.on('r.id', '=', 'o.resident_id').andOn('r.estate_id', '=', 'o.estate_id'))
    .where('o.estate_id', p.estateId)
    .where('o.resident_id', p.residentId)
    .whereNull('o.deleted_at')
    .whereNull('r.deleted_at')
    .where((q) => q.whereNull('o.moved_in_on').orWhere('o.moved_in_on', '<=', p.today))
    .where((q) => q.whereNull('o.moved_out_on').orWhere('o.moved_out_on', '>', p.today));
}

const residencesQuery = queryTemplate<Params>((knex, p) => {
  const previousOut = knex('unit_occupancies as prev')
    .whereRaw('prev.estate_id = o.estate_id and prev.unit_id = o.unit_id and prev.resident_id <> o.resident_id')
    .whereNull('prev.deleted_at')
    .whereNotNull('prev.moved_out_on')
    .where('prev.moved_out_on', '<=', p.today)
    .max('prev.moved_out_on');
  return currentOccupancies(knex, p)
    .leftJoin('units as u', (j) => j.on('u.id', '=', 'o.unit_id').andOn('u.estate_id', '=', 'o.estate_id'))
    .orderBy([{ column: 'o.created_at' }, { column: 'o.id' }])
    .select('o.unit_id', 'u.code as unit_code', 'o.relation', 'o.moved_in_on', previousOut.as('previous_moved_out_on'));
});

// Asked on every scan of a resident pass (see queryTemplate): one indexed lookup.
const livesInQuery = queryTemplate<Params | 'unitId'>((knex, p) =>
  currentOccupancies(knex, p).where('o.unit_id', p.unitId).select('o.id').limit(1),
);

async function todayOf(store: ScopedStore, today?: string): Promise<string> {
  return today ?? estateToday(await store.timezone());
}

/** The units the resident lives in on `today` (the estate's today when omitted), the earliest linked first. */
export async function residencesOf(store: ScopedStore, residentId: string, today?: string): Promise<Residence[]> {
  const rows = await store.select<Record<string, string | null>>(residencesQuery, { residentId, today: await todayOf(store, today) });
  const seen = new Set<string>();
  return rows
    .filter((r) => !seen.has(r.unit_id as string) && seen.add(r.unit_id as string))
    .map((r) => ({
      unitId: r.unit_id as string,
      unitCode: r.unit_code ?? null,
      relation: r.relation as string,
      movedInOn: r.moved_in_on ?? null,
      previousMovedOutOn: r.previous_moved_out_on ?? null,
    }));
}

/** Whether the resident lives in the unit on `today` (the estate's today when omitted). */
export async function livesIn(store: ScopedStore, residentId: string, unitId: string, today?: string): Promise<boolean> {
  const rows = await store.select(livesInQuery, { residentId, unitId, today: await todayOf(store, today) });
  return rows.length > 0;
}
