import type { z } from 'zod';
import { syncStatusResponse } from '../../../server/sync/schemas.ts';

export type SyncStatus = z.infer<typeof syncStatusResponse>;

/**
 * An answer of GET /estates/:id/sync for the Sinkronisasi page tests to play back: linked to a hosted instance, last
 * synced on 30 November, nothing waiting, clocks in step, nothing set aside, no cycle running, except for `changes`.
 * It goes through the server's own response schema, so an answer the server could not give fails here.
 */
export function syncStatusAnswer(changes: Partial<SyncStatus> = {}): SyncStatus {
  return syncStatusResponse.parse({
    linked: true,
    cloud_url: 'https://awan.klustera.id',
    last_sync_at: '2026-11-30T05:00:00.000Z',
    waiting: 0,
    last_error: null,
    clock_skew_ms: 0,
    clock_warning: null,
    clock_far_off: false,
    digest_alert: null,
    progress: null,
    set_aside: [],
    ...changes,
  });
}
