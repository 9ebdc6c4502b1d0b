import type { ScopedStore } from '../db/scoped-store.ts';
import { NotFoundError } from '../http/errors.ts';
import type { RequestContext } from '../http/route.ts';

/**
 * The units a resident may see in the portal: those their resident record currently lives in (an occupancy not
 * moved out of). The resident record comes from their membership in this estate, never from the request.
 */
export async function residentUnits(ctx: RequestContext): Promise<{ residentId: string; unitIds: string[] }> {
  const store = ctx.store!;
  const residentId = ctx.auth?.memberships.find((m) => m.estate_id === store.estateId && m.role === 'resident')?.resident_id;
  if (!residentId) throw new NotFoundError('Data warga');
  const rows = await store
    .live('unit_occupancies')
    .where('unit_occupancies.resident_id', residentId)
    .whereNull('unit_occupancies.moved_out_on')
    .orderBy('unit_occupancies.created_at')
    .select('unit_id');
  return { residentId, unitIds: [...new Set<string>(rows.map((r: { unit_id: string }) => r.unit_id))] };
}

/** The unit the portal request is about: the one asked for if it is the resident's, else their first. */
export async function residentUnit(ctx: RequestContext, requested?: string): Promise<{ residentId: string; unitId: string; store: ScopedStore }> {
  const { residentId, unitIds } = await residentUnits(ctx);
  const unitId = requested ?? unitIds[0];
  if (!unitId || !unitIds.includes(unitId)) throw new NotFoundError('Unit');
  return { residentId, unitId, store: ctx.store! };
}
