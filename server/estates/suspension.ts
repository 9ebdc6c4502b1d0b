import { nowIso } from '../db/clock.ts';
import type { PlatformStore } from '../db/platform-store.ts';
import { ForbiddenError, NotFoundError } from '../http/errors.ts';
import { forgetEstate } from './estate-cache.ts';

/**
 * A suspended estate keeps every row; it only stops answering its members and devices. The platform's
 * administrators still reach it, so they can look at it and switch it back on.
 */
export function assertEstateActive(estate: Record<string, unknown>, caller: { isPlatformAdmin: boolean } | null): void {
  if (estate.suspended_at && !caller?.isPlatformAdmin) {
    throw new ForbiddenError(
      'Perumahan ini sedang dinonaktifkan oleh pengelola layanan. Data tetap tersimpan; hubungi pengurus perumahan.',
      'ESTATE_SUSPENDED',
    );
  }
}

type EstateRow = Record<string, unknown> & { id: string };

async function liveEstateRow(store: PlatformStore, estateId: string): Promise<EstateRow> {
  const row = (await store.query('estates').where({ id: estateId }).whereNull('deleted_at').first()) as EstateRow | undefined;
  if (!row) throw new NotFoundError('Perumahan');
  return row;
}

/**
 * Suspends or reactivates an estate. Asking for the state it is already in changes nothing and writes no journal
 * row, so a double click or a retried request is harmless. `suspended_at` is a site-local column
 * (db/journal-policy.ts): suspending the hosted copy does not lock the estate office's own desktop.
 */
export async function setEstateSuspended(store: PlatformStore, estateId: string, suspended: boolean): Promise<EstateRow> {
  const row = await store.transaction(async (tx) => {
    const current = await liveEstateRow(tx, estateId);
    const [changed] = await tx.update(
      'estates',
      (q) => {
        q.where({ id: estateId }).whereNull('deleted_at');
        return suspended ? q.whereNull('suspended_at') : q.whereNotNull('suspended_at');
      },
      { suspended_at: suspended ? nowIso() : null },
      { estateId, action: suspended ? 'estates.suspend' : 'estates.reactivate' },
    );
    return (changed as EstateRow | undefined) ?? current;
  });
  forgetEstate(estateId);
  return row;
}
