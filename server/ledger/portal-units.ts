import { zoneOffsetMs } from '../calendar/calendar.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import type { RequestContext } from '../http/route.ts';
import { residenceOfRequest, residencesOfRequest } from '../residency/index.ts';
import type { PortalView } from './portal-store.ts';

/**
 * What of a unit the portal shows its occupant. Which units are theirs is residency's answer (residency/): the unit
 * asked for when they live there, else their first; any other unit, or theirs after they moved out, answers 404 with
 * its balance, invoices, payments and receipts.
 */

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

export async function residentUnits(ctx: RequestContext): Promise<{ residentId: string; unitIds: string[] }> {
  const { residentId, residences } = await residencesOfRequest(ctx);
  return { residentId, unitIds: residences.map((r) => r.unitId) };
}

/** The unit the portal request is about and what of it the occupant sees. */
export async function residentUnit(ctx: RequestContext, requested?: string): Promise<PortalView & { store: ScopedStore }> {
  const store = ctx.store!;
  const unit = await residenceOfRequest(ctx, requested);
  // For a link entered without a move-in date: the occupant did not live there before the one before them left.
  const visibleFrom = unit.movedInOn ?? unit.previousMovedOutOn ?? '';
  const visibleFromInstant = visibleFrom ? startOfLocalDay(visibleFrom, await store.timezone()) : '';
  return { residentId: unit.residentId, unitId: unit.unitId, unitCode: unit.unitCode, visibleFrom, visibleFromInstant, store };
}
