import type { ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { pushLink, pushToResident } from '../webpush/index.ts';
import type { MessageRow } from './message-row.ts';
import { withBaseUrl } from './templates.ts';
import { DeliveryError } from './transports.ts';

/** Longest text a push carries: the encrypted payload must stay under the push services' 4 KB. */
const PUSH_BODY_MAX = 1000;

/**
 * A `webpush` message to every device of its resident. The message counts as sent when one device took it; a device
 * the push service calls gone (404/410) is removed on the way. Any other failure is retried as other channels are:
 * the devices that already got it get it once more, and the service worker shows it under the same tag (the message
 * id), which replaces the first notification instead of adding a second.
 */
export async function sendPushMessage(app: AppContext, store: ScopedStore, row: MessageRow): Promise<string | null> {
  const text = withBaseUrl(row.body_text, app.publicUrl);
  const result = await pushToResident(app, store, row.resident_id, {
    title: (row.subject ?? '').slice(0, 120),
    body: text.length > PUSH_BODY_MAX ? `${text.slice(0, PUSH_BODY_MAX - 1)}…` : text,
    url: pushLink(row.cause_kind, row.cause_id),
    tag: row.id,
  });
  const retryable = result.failures.filter((f) => f.retryable);
  if (retryable.length) throw new DeliveryError(retryable[0].reason);
  if (result.delivered) return result.location;
  if (result.failures.length) throw new DeliveryError(result.failures[0].reason, false);
  throw new DeliveryError(
    result.removed ? 'Langganan push warga sudah tidak berlaku di perangkatnya.' : 'Warga tidak lagi mengaktifkan notifikasi push.',
    false,
  );
}
