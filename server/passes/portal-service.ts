import type { RequestContext } from '../http/route.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { residenceOfRequest } from '../residency/index.ts';
import { createPass, keepResidentPassCurrent, renewResidentPass, type PassRow } from './service.ts';
import type { PortalPassCreateInput } from './schemas.ts';

export interface PortalResident {
  residentId: string;
  unitId: string;
  name: string;
}

/**
 * The resident behind a portal request and the unit it acts for: the one asked for when they live there, else their
 * first (residency/). Any other unit answers 404.
 */
export async function portalResident(ctx: RequestContext, requestedUnitId?: string): Promise<PortalResident> {
  const { residentId, unitId } = await residenceOfRequest(ctx, requestedUnitId);
  const resident = await ctx.store!.get<{ name: string }>('residents', residentId, 'Warga');
  return { residentId, unitId, name: resident.name };
}

/**
 * The resident's own passes (one personal, one per vehicle). Opening the portal is what keeps them current: the
 * personal pass is created on first visit, and every pass is renewed to 30 days while its holder lives here.
 */
export async function residentPasses(store: ScopedStore, resident: PortalResident, timezone: string): Promise<PassRow[]> {
  const now = new Date();
  const existing = (await store
    .live('passes')
    .where({ kind: 'resident', resident_id: resident.residentId, unit_id: resident.unitId })
    .whereNull('revoked_at')
    .orderBy('created_at')) as PassRow[];
  const current: PassRow[] = [];
  for (const pass of existing) {
    const kept = await keepResidentPassCurrent(store, pass, timezone, now);
    current.push(kept.valid_until <= now.toISOString() ? await renewResidentPass(store, kept, now) : kept);
  }
  if (!current.some((p) => !p.plate)) {
    current.unshift(
      await createPass(
        store,
        { kind: 'resident', unit_id: resident.unitId, resident_id: resident.residentId, name: resident.name, people: 1 },
        { via: 'system', userId: null },
      ),
    );
  }
  return current.filter((p) => !p.revoked_at);
}

export async function addVehiclePass(store: ScopedStore, resident: PortalResident, plate: string, userId: string | null): Promise<PassRow> {
  return createPass(
    store,
    { kind: 'resident', unit_id: resident.unitId, resident_id: resident.residentId, name: resident.name, plate, people: 1 },
    { via: 'portal', userId },
  );
}

export async function createPortalPass(store: ScopedStore, resident: PortalResident, input: PortalPassCreateInput, userId: string | null) {
  return createPass(store, { ...input, unit_id: resident.unitId }, { via: 'portal', userId });
}

export async function unitGuestPasses(store: ScopedStore, unitId: string): Promise<PassRow[]> {
  // Recent and upcoming only: a phone screen, not an archive.
  const since = new Date(Date.now() - 30 * 86_400_000).toISOString();
  return (await store
    .live('passes')
    .where('unit_id', unitId)
    .whereIn('kind', ['guest', 'temporary'])
    .where('valid_until', '>', since)
    .orderBy('valid_from', 'desc')
    .limit(100)) as PassRow[];
}
