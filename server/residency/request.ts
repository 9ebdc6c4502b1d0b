import { NotFoundError } from '../http/errors.ts';
import type { RequestContext } from '../http/route.ts';
import { residencesOf, type Residence } from './occupancy.ts';

/**
 * Who a request acts for: the resident record comes from the caller's membership in this estate, never from the
 * request. A unit they do not live in answers 404 NOT_FOUND, like a unit that does not exist, so the ids of other
 * units are never confirmed; the same holds after they move out.
 */
export function residentIdOf(ctx: RequestContext): string | undefined {
  const estateId = ctx.store?.estateId;
  return ctx.auth?.memberships.find((m) => m.estate_id === estateId && m.role === 'resident' && m.resident_id)?.resident_id ?? undefined;
}

export async function residencesOfRequest(ctx: RequestContext): Promise<{ residentId: string; residences: Residence[] }> {
  const residentId = residentIdOf(ctx);
  if (!residentId) throw new NotFoundError('Data warga');
  return { residentId, residences: await residencesOf(ctx.store!, residentId) };
}

/** The unit asked for if the caller lives there, else (nothing asked) the first they live in; 404 otherwise. */
export async function residenceOfRequest(ctx: RequestContext, requestedUnitId?: string): Promise<Residence & { residentId: string }> {
  const { residentId, residences } = await residencesOfRequest(ctx);
  const residence = requestedUnitId ? residences.find((r) => r.unitId === requestedUnitId) : residences[0];
  if (!residence) throw new NotFoundError('Unit');
  return { ...residence, residentId };
}
