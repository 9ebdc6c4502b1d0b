import { localDateAt, zoneOffsetMs } from '../calendar/calendar.ts';
import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { NotFoundError } from '../http/errors.ts';
import type { RequestContext } from '../http/route.ts';
import type { PortalView } from './portal-store.ts';

/**
 * The units a resident may see in the portal: those their resident record lives in today in the estate's calendar
 * (an occupancy not moved out of, or moving out later). The resident record comes from their membership in this
 * estate, never from the request. Once they move out, the unit is no longer theirs to see: its balance, invoices,
 * payments and receipts answer 404 like any other unit's.
 */
interface OccupiedUnit {
  unit_id: string;
  unit_code: string | null;
  moved_in_on: string | null;
  previous_moved_out_on: string | null;
}

const occupiedUnitsQuery = queryTemplate<'estateId' | 'residentId' | 'today'>((knex, p) => {
  // For a link entered without a move-in date: the occupant did not live there before the one before them left.
  const previousOut = knex('unit_occupancies as prev')
    .whereRaw('prev.estate_id = o.estate_id and prev.unit_id = o.unit_id and prev.resident_id <> o.resident_id')
    .whereNull('prev.deleted_at')
    .whereNotNull('prev.moved_out_on')
    .where('prev.moved_out_on', '<=', p.today)
    .max('prev.moved_out_on');
  return knex('unit_occupancies as o')
    .leftJoin('units as u', (j) => j.on('u.id', '=', 'o.unit_id').andOn('u.estate_id', '=', 'o.estate_id'))
    .where('o.estate_id', p.estateId)
    .where('o.resident_id', p.residentId)
    .whereNull('o.deleted_at')
    .where((q) => q.whereNull('o.moved_out_on').orWhere('o.moved_out_on', '>', p.today))
    .orderBy('o.created_at')
    .select('o.unit_id', 'u.code as unit_code', 'o.moved_in_on', previousOut.as('previous_moved_out_on'));
});

/** The first instant (UTC ISO, as paid_at is stored) of an estate-local date. */
function startOfLocalDay(date: string, zone: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const wall = Date.UTC(y, m - 1, d);
  // A move-in date that is not a date hides the history rather than showing all of it.
  if (!/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(wall)) return '9999-12-31T00:00:00.000Z';
  // The offset at the guessed instant, then at the corrected one: right across an offset change as well.
  const guess = wall - zoneOffsetMs(zone, wall);
  return new Date(wall - zoneOffsetMs(zone, guess)).toISOString();
}

function residentIdOf(ctx: RequestContext): string {
  const store = ctx.store!;
  const residentId = ctx.auth?.memberships.find((m) => m.estate_id === store.estateId && m.role === 'resident')?.resident_id;
  if (!residentId) throw new NotFoundError('Data warga');
  return residentId;
}

async function occupiedUnits(store: ScopedStore, residentId: string): Promise<OccupiedUnit[]> {
  const today = localDateAt(Date.now(), await store.timezone());
  const rows = await occupiedUnitsQuery<OccupiedUnit>(store.knex, { estateId: store.estateId, residentId, today });
  const seen = new Set<string>();
  return rows.filter((r) => !seen.has(r.unit_id) && seen.add(r.unit_id));
}

export async function residentUnits(ctx: RequestContext): Promise<{ residentId: string; unitIds: string[] }> {
  const residentId = residentIdOf(ctx);
  return { residentId, unitIds: (await occupiedUnits(ctx.store!, residentId)).map((u) => u.unit_id) };
}

/** The unit the portal request is about (the one asked for if it is the resident's, else their first) and what of it they see. */
export async function residentUnit(ctx: RequestContext, requested?: string): Promise<PortalView & { store: ScopedStore }> {
  const store = ctx.store!;
  const residentId = residentIdOf(ctx);
  const units = await occupiedUnits(store, residentId);
  const unit = requested ? units.find((u) => u.unit_id === requested) : units[0];
  if (!unit) throw new NotFoundError('Unit');
  const visibleFrom = unit.moved_in_on ?? unit.previous_moved_out_on ?? '';
  const visibleFromInstant = visibleFrom ? startOfLocalDay(visibleFrom, await store.timezone()) : '';
  return { residentId, unitId: unit.unit_id, unitCode: unit.unit_code, visibleFrom, visibleFromInstant, store };
}
