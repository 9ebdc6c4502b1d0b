import type { ScopedStore } from '../db/scoped-store.ts';
import { countStatus, enqueueMessage, type MessageChannel, noStatusCounts } from '../messages/index.ts';
import type { Channel } from './schemas.ts';

/** The office's choice in the outbox's terms: WhatsApp through the gateway when the estate has one, else wa.me links. */
const OUTBOX_CHANNELS: Record<Exclude<Channel, 'portal'>, MessageChannel[]> = {
  whatsapp: ['wa_gateway'],
  email: ['email'],
};

/**
 * The one place an announcement leaves the portal: WhatsApp and email go through the messages outbox, which renders
 * the estate's announcement template for each resident, honours their opt-out and the quiet hours, and sends each
 * resident one message per channel for the announcement however often this is called.
 */
export async function queueChannelMessages(
  tx: ScopedStore,
  announcement: { id: string; title: string; text: string },
  units: { id: string }[],
  channels: Channel[],
  owners: Map<string, string[]> | null,
): Promise<void> {
  const wanted = channels.flatMap((c) => (c === 'portal' ? [] : OUTBOX_CHANNELS[c]));
  if (!wanted.length) return;
  for (const unit of units) {
    await enqueueMessage(tx, {
      template: 'announcement',
      cause: { kind: 'announcement', id: announcement.id },
      unitId: unit.id,
      ...(owners ? { residentIds: owners.get(unit.id) ?? [] } : {}),
      vars: { judul: announcement.title, isi: announcement.text },
      channels: wanted,
    });
  }
}

/**
 * Per channel the office chose, its messages by status, counted by the messages' own rule (`countStatus`, the one the
 * batch delivery report uses): WhatsApp is the gateway's messages and the wa.me links, email the emails. The push
 * notices that go with every announcement to residents who turned push on are counted apart, not as WhatsApp.
 */
export async function outboxCounts(store: ScopedStore, announcementId: string) {
  const rows = (await store
    .query('messages')
    .where({ cause_kind: 'announcement', cause_id: announcementId })
    .groupBy('channel', 'status')
    .select('channel', 'status')
    .count({ n: '*' })) as { channel: MessageChannel; status: string; n: number | string }[];
  const counts = { whatsapp: noStatusCounts(), email: noStatusCounts(), push: noStatusCounts() };
  const OF_CHANNEL: Partial<Record<MessageChannel, keyof typeof counts>> = {
    wa_gateway: 'whatsapp',
    wa_link: 'whatsapp',
    email: 'email',
    webpush: 'push',
  };
  for (const r of rows) {
    const channel = OF_CHANNEL[r.channel];
    if (channel) countStatus(counts[channel], r.status, Number(r.n));
  }
  return counts;
}
