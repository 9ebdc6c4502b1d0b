import { createHmac } from 'node:crypto';
import { sameSecret } from '../secrets/index.ts';
import { nowIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { ForbiddenError, UnauthenticatedError } from '../http/errors.ts';
import { statusWebhookKeys } from './channel-settings.ts';

/**
 * Delivered and read statuses reported by an estate's WhatsApp provider. Each estate has its own callback address and
 * key; the signature is checked over the body's bytes before anything in it is looked at. A status only moves a
 * message forward (sent → delivered → read; failed from sent or delivered), so an event replayed or arriving after a
 * later one changes nothing, and an id that is none of this estate's messages is acknowledged and ignored.
 */
export type ReportedStatus = 'delivered' | 'read' | 'failed';

export interface StatusEvent {
  providerMessageId: string;
  status: ReportedStatus;
  reason?: string;
}

const SIGNATURE_INVALID = () => new UnauthenticatedError('Tanda tangan callback tidak sah.', 'MESSAGE_WEBHOOK_SIGNATURE_INVALID');

/** The statuses a message may be in for each reported status to move it (never backwards, never out of read). */
const MOVES_FROM: Record<ReportedStatus, string[]> = {
  delivered: ['sent'],
  read: ['sent', 'delivered'],
  failed: ['sent', 'delivered'],
};

/** At most this many statuses of one callback are applied: a provider batches a few, never thousands. */
const MAX_EVENTS = 200;

/** The estate's key for this provider, or 401 when the estate uses another provider or has not set one. */
async function keyFor(store: ScopedStore, dataDir: string, provider: 'cloud_api' | 'waha'): Promise<string> {
  let keys: Awaited<ReturnType<typeof statusWebhookKeys>>;
  try {
    keys = await statusWebhookKeys(store, dataDir);
  } catch {
    throw SIGNATURE_INVALID();
  }
  if (!keys || keys.provider !== provider || !keys.secret) throw SIGNATURE_INVALID();
  return keys.secret;
}

/** Meta's check of the callback address: the verify token must match, then the challenge is echoed. */
export async function verifyCloudSubscription(
  store: ScopedStore,
  dataDir: string,
  query: { 'hub.mode'?: string; 'hub.verify_token'?: string; 'hub.challenge'?: string },
): Promise<string> {
  const keys = await statusWebhookKeys(store, dataDir).catch(() => null);
  const given = query['hub.verify_token'] ?? '';
  // Compared as hashes of both sides: one length, so the time taken says nothing about the token.
  const match =
    query['hub.mode'] === 'subscribe' && keys?.provider === 'cloud_api' && !!keys.verifyToken && sameSecret(given, keys.verifyToken);
  if (!match) throw new ForbiddenError('Verify token tidak cocok.', 'MESSAGE_WEBHOOK_VERIFY_FAILED');
  return query['hub.challenge'] ?? '';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const shortText = (v: unknown, max = 200): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);

/**
 * Meta's callback: `X-Hub-Signature-256: sha256=<hex HMAC-SHA256 of the body with the app secret>`, and
 * `entry[].changes[].value.statuses[]` of `{id, status: sent|delivered|read|failed, timestamp, recipient_id,
 * errors: [{code, title, message, error_data: {details}}]}`.
 */
export async function cloudStatusEvents(
  store: ScopedStore,
  dataDir: string,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer | null,
  body: unknown,
): Promise<StatusEvent[]> {
  const secret = await keyFor(store, dataDir, 'cloud_api');
  const header = headers['x-hub-signature-256'];
  if (!raw || typeof header !== 'string' || !header.startsWith('sha256=')) throw SIGNATURE_INVALID();
  if (!sameSecret(header.slice('sha256='.length).trim().toLowerCase(), createHmac('sha256', secret).update(raw).digest('hex')))
    throw SIGNATURE_INVALID();

  const events: StatusEvent[] = [];
  const entries = isObject(body) && Array.isArray(body.entry) ? body.entry : [];
  for (const entry of entries) {
    const changes = isObject(entry) && Array.isArray(entry.changes) ? entry.changes : [];
    for (const change of changes) {
      const value = isObject(change) && isObject(change.value) ? change.value : null;
      const statuses = value && Array.isArray(value.statuses) ? value.statuses : [];
      for (const s of statuses) {
        if (!isObject(s)) continue;
        const id = shortText(s.id);
        if (!id || (s.status !== 'delivered' && s.status !== 'read' && s.status !== 'failed')) continue;
        const error = Array.isArray(s.errors) && isObject(s.errors[0]) ? s.errors[0] : null;
        const details = error && isObject(error.error_data) ? shortText(error.error_data.details, 500) : null;
        const reason = error
          ? `WhatsApp Cloud API: ${shortText(error.title, 300) ?? shortText(error.message, 300) ?? 'gagal'}${details ? ` (${details})` : ''}${typeof error.code === 'number' ? ` [${error.code}]` : ''}`
          : 'WhatsApp Cloud API: pesan gagal terkirim.';
        events.push({ providerMessageId: id, status: s.status, ...(s.status === 'failed' ? { reason } : {}) });
      }
    }
  }
  return events;
}

/** WAHA's ack levels (`payload.ack`) and names (`payload.ackName`): -1 ERROR, 0 PENDING, 1 SERVER, 2 DEVICE, 3 READ, 4 PLAYED. */
function wahaStatus(ack: unknown, ackName: unknown): ReportedStatus | null {
  const name = typeof ackName === 'string' ? ackName.toUpperCase() : null;
  if (name === 'DEVICE' || ack === 2) return 'delivered';
  if (name === 'READ' || name === 'PLAYED' || ack === 3 || ack === 4) return 'read';
  if (name === 'ERROR' || ack === -1) return 'failed';
  return null;
}

/**
 * WAHA's `message.ack` event (`{event, session, payload: {id, ack, ackName}}`), signed when the session's webhook has
 * an HMAC key: `X-Webhook-Hmac` is the hex HMAC-SHA512 of the body (`X-Webhook-Hmac-Algorithm: sha512`).
 */
export async function wahaStatusEvents(
  store: ScopedStore,
  dataDir: string,
  headers: Record<string, string | string[] | undefined>,
  raw: Buffer | null,
  body: unknown,
): Promise<StatusEvent[]> {
  const secret = await keyFor(store, dataDir, 'waha');
  const header = headers['x-webhook-hmac'];
  const algorithm = headers['x-webhook-hmac-algorithm'];
  if (!raw || typeof header !== 'string' || (algorithm !== undefined && algorithm !== 'sha512')) throw SIGNATURE_INVALID();
  if (!sameSecret(header.trim().toLowerCase(), createHmac('sha512', secret).update(raw).digest('hex'))) throw SIGNATURE_INVALID();

  if (!isObject(body) || body.event !== 'message.ack' || !isObject(body.payload)) return [];
  const id = shortText(body.payload.id);
  const status = wahaStatus(body.payload.ack, body.payload.ackName);
  if (!id || !status) return [];
  return [{ providerMessageId: id, status, ...(status === 'failed' ? { reason: 'WAHA: pesan gagal terkirim (ack ERROR).' } : {}) }];
}

/** Moves this estate's WhatsApp gateway messages forward; answers how many changed. */
export async function applyStatusEvents(store: ScopedStore, events: StatusEvent[]): Promise<number> {
  let applied = 0;
  for (const event of events.slice(0, MAX_EVENTS)) {
    const patch: Record<string, unknown> = { status: event.status, updated_at: nowIso() };
    if (event.status === 'failed') patch.failure_reason = (event.reason ?? '').slice(0, 1000);
    const rows = await store.updateWhere(
      'messages',
      (q) =>
        q
          .where('messages.channel', 'wa_gateway')
          .where('messages.provider_message_id', event.providerMessageId)
          .whereIn('messages.status', MOVES_FROM[event.status]),
      patch,
      `messages.${event.status}`,
    );
    applied += rows.length;
  }
  return applied;
}
