import type { ScopedStore } from '../db/scoped-store.ts';
import { enqueueMessage } from './message-service.ts';

export interface NoticeForPush {
  unitId: string;
  residentId?: string | null;
  kind: 'walk_in' | 'guest_arrived' | 'announcement';
  title: string;
  body?: string | null;
  source?: { table: string; id: string };
}

/**
 * The bell's notices (a guest at the gate, an announcement) as pushes to the phones of the units' residents who turned
 * push on, inside the transaction that raised them. Keyed by the notice's source, as an announcement's WhatsApp and
 * email messages are, so one cause reaches each resident's phones once whichever path queued it.
 */
export async function queueNoticePushes(tx: ScopedStore, notices: NoticeForPush[]): Promise<void> {
  const withSource = notices.filter((n) => n.source);
  if (!withSource.length) return;
  // Most estates have no phone with push on: one look saves a per-unit lookup of residents and preferences.
  if (!(await tx.live('webpush_subscriptions').first('id'))) return;
  for (const n of withSource) {
    await enqueueMessage(tx, {
      template: n.kind === 'announcement' ? 'announcement' : 'guest_arrived',
      cause: { kind: n.kind, id: n.source!.id },
      unitId: n.unitId,
      ...(n.residentId ? { residentIds: [n.residentId] } : {}),
      vars: n.kind === 'announcement' ? { judul: n.title, isi: n.body ?? '' } : { tamu: n.title },
      channels: ['webpush'],
    });
  }
}
