import { createHash } from 'node:crypto';
import { nowIso } from '../db/clock.ts';
import { queryTemplatePerLength } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { UnprocessableError } from '../http/errors.ts';
import { sendPush, vapidSubject, type PushPayload } from './push-delivery.ts';
import { endpointRefusal, keysRefusal } from './push-endpoint.ts';
import type { PushSubscriptionView } from './schemas.ts';
import { vapidKeys } from './vapid-keys.ts';

/** Devices one resident keeps push on; the next one replaces the longest-unchanged (a phone replaced, a browser reset). */
export const MAX_SUBSCRIPTIONS_PER_RESIDENT = 5;

interface SubscriptionRow {
  id: string;
  resident_id: string;
  user_id: string | null;
  endpoint: string;
  endpoint_hash: string;
  p256dh: string;
  auth: string;
  device: string | null;
  created_at: string;
  updated_at: string;
  deleted_at: string | null;
}

const hashOf = (endpoint: string) => createHash('sha256').update(endpoint).digest('hex');

const view = (row: SubscriptionRow): PushSubscriptionView => ({ id: row.id, device: row.device, created_at: row.created_at });

export async function subscriptionsOf(store: ScopedStore, residentId: string): Promise<PushSubscriptionView[]> {
  const rows = (await store
    .live('webpush_subscriptions')
    .where('webpush_subscriptions.resident_id', residentId)
    .orderBy('webpush_subscriptions.created_at')) as SubscriptionRow[];
  return rows.map(view);
}

export async function subscribe(
  store: ScopedStore,
  residentId: string,
  body: { endpoint: string; keys: { p256dh: string; auth: string }; device?: string },
): Promise<PushSubscriptionView> {
  if (endpointRefusal(body.endpoint)) {
    throw new UnprocessableError('PUSH_ENDPOINT_REFUSED', 'Alamat layanan push ini tidak dikenal.', 'endpoint');
  }
  const badKey = keysRefusal(body.keys.p256dh, body.keys.auth);
  if (badKey) throw new UnprocessableError('PUSH_KEYS_INVALID', 'Kunci langganan push tidak sah.', `keys.${badKey}`);
  const hash = hashOf(body.endpoint);
  const values = {
    resident_id: residentId,
    user_id: store.actor.userId,
    endpoint: body.endpoint,
    endpoint_hash: hash,
    p256dh: body.keys.p256dh,
    auth: body.keys.auth,
    device: body.device?.slice(0, 120) || null,
    deleted_at: null,
  };
  return store.transaction(async (tx) => {
    // One row per browser: subscribing again (a new key, or another resident signed in on the same phone) takes it over.
    const existing = (await tx.query('webpush_subscriptions').where('webpush_subscriptions.endpoint_hash', hash).first()) as
      | SubscriptionRow
      | undefined;
    // A removed row comes back too (updateWhere: `update` reads live rows only).
    const row = existing
      ? ((
          await tx.updateWhere(
            'webpush_subscriptions',
            (q) => q.where('webpush_subscriptions.id', existing.id),
            { ...values, updated_at: nowIso() },
            'webpush_subscriptions.renew',
          )
        )[0] as unknown as SubscriptionRow)
      : await tx.insert<SubscriptionRow>('webpush_subscriptions', values, 'webpush_subscriptions.create');
    const others = (await tx
      .live('webpush_subscriptions')
      .where('webpush_subscriptions.resident_id', residentId)
      .whereNot('webpush_subscriptions.id', row.id)
      .orderBy('webpush_subscriptions.updated_at', 'desc')
      .select('id')) as { id: string }[];
    for (const old of others.slice(MAX_SUBSCRIPTIONS_PER_RESIDENT - 1)) {
      await tx.softDelete('webpush_subscriptions', old.id, 'webpush_subscriptions.replaced');
    }
    return view(row);
  });
}

export async function unsubscribe(store: ScopedStore, residentId: string, endpoint: string): Promise<number> {
  return store.transaction(async (tx) => {
    const rows = (await tx
      .live('webpush_subscriptions')
      .where('webpush_subscriptions.endpoint_hash', hashOf(endpoint))
      .where('webpush_subscriptions.resident_id', residentId)
      .select('id')) as { id: string }[];
    for (const r of rows) await tx.softDelete('webpush_subscriptions', r.id, 'webpush_subscriptions.delete');
    return rows.length;
  });
}

// Asked for every receipt message, so on every payment: compiled once per count of residents (a unit has a few)
// instead of built with knex on each call (db/query-template.ts).
const withPushQuery = queryTemplatePerLength<'estateId'>(8, (knex, p, residentIds) =>
  knex('webpush_subscriptions')
    .where('estate_id', p.estateId)
    .whereNull('deleted_at')
    .whereIn('resident_id', residentIds)
    .distinct('resident_id'),
);

/** Which of these residents have push on at least one device. */
export async function residentsWithPush(store: ScopedStore, residentIds: string[]): Promise<Set<string>> {
  if (!residentIds.length) return new Set();
  const template = withPushQuery.forLength(residentIds.length);
  const rows = template
    ? await store.select<{ resident_id: string }>(template, withPushQuery.values(residentIds))
    : ((await store
        .live('webpush_subscriptions')
        .whereIn('webpush_subscriptions.resident_id', residentIds)
        .distinct('webpush_subscriptions.resident_id')) as { resident_id: string }[]);
  return new Set(rows.map((r) => r.resident_id));
}

export interface ResidentPushResult {
  delivered: number;
  /** Subscriptions the push service no longer knows (404/410), removed. */
  removed: number;
  failures: { reason: string; retryable: boolean }[];
  location: string | null;
}

/**
 * Sends one payload to every device of the resident. A device the push service calls gone is removed at once;
 * the others' failures are answered for the caller to retry or give up.
 */
export async function pushToResident(
  app: AppContext,
  store: ScopedStore,
  residentId: string,
  payload: PushPayload,
): Promise<ResidentPushResult> {
  const rows = (await store
    .live('webpush_subscriptions')
    .where('webpush_subscriptions.resident_id', residentId)
    .select('id', 'endpoint', 'p256dh', 'auth')) as SubscriptionRow[];
  const result: ResidentPushResult = { delivered: 0, removed: 0, failures: [], location: null };
  if (!rows.length) return result;
  const keys = await vapidKeys(app);
  const subject = vapidSubject(app.publicUrl);
  for (const row of rows) {
    const outcome = await sendPush(row, payload, keys, subject);
    if (outcome.kind === 'delivered') {
      result.delivered++;
      result.location ??= outcome.location;
    } else if (outcome.kind === 'gone') {
      await store.softDelete('webpush_subscriptions', row.id, 'webpush_subscriptions.gone');
      result.removed++;
    } else {
      result.failures.push({ reason: outcome.reason, retryable: outcome.retryable });
    }
  }
  return result;
}
