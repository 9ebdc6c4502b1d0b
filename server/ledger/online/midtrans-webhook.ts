import { createHash } from 'node:crypto';
import { sameSecret } from '../../secrets/index.ts';
import type { Knex } from 'knex';
import { z } from 'zod';
import { nowIso } from '../../db/clock.ts';
import { platformKnex } from '../../db/platform-store.ts';
import { SYSTEM_ACTOR, ScopedStore } from '../../db/scoped-store.ts';
import { BadRequestError, UnauthenticatedError } from '../../http/errors.ts';
import type { AppContext } from '../../http/app-context.ts';
import { defineJob } from '../../jobs/define-job.ts';
import { markWebhookProcessed, receiveWebhook } from '../../jobs/webhook-inbox.ts';
import { estateOfReference, type ChargeRow } from './charge-service.ts';
import { configuredGateway } from './gateway-settings.ts';
import { midtransChargeStatus, referenceOfOrderId } from './midtrans-gateway.ts';
import { settleCharge } from './settle.ts';

/**
 * Midtrans's HTTP notifications. Midtrans has no callback token: each notification carries
 * `signature_key = SHA512(order_id + status_code + gross_amount + server key)`. The order_id packs our reference, which
 * names the estate, so its server key is found and the signature checked (in constant time) before anything is stored.
 * The event is stored once per `transaction_id:transaction_status` and processed by a job that asks Midtrans for the
 * status again: the notification body is never believed for money.
 */
const SIGNATURE_INVALID = () => new UnauthenticatedError('Tanda tangan notifikasi tidak sah.', 'WEBHOOK_SIGNATURE_INVALID');
const MALFORMED = () => new BadRequestError('WEBHOOK_MALFORMED', 'Isi callback tidak dikenali.');

interface MidtransNotification {
  order_id?: unknown;
  status_code?: unknown;
  gross_amount?: unknown;
  signature_key?: unknown;
  transaction_id?: unknown;
  transaction_status?: unknown;
  fraud_status?: unknown;
}

const text = (v: unknown, max = 200): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);

/** The signature Midtrans computes for a notification, from the fields exactly as they were sent. */
export function midtransSignature(orderId: string, statusCode: string, grossAmount: string, serverKey: string): string {
  return createHash('sha512')
    .update(orderId + statusCode + grossAmount + serverKey)
    .digest('hex');
}

export async function receiveMidtransNotification(
  app: AppContext,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  rawBody: string | null = null,
): Promise<{ received: true; duplicate: boolean }> {
  if (!body || typeof body !== 'object' || Array.isArray(body)) throw MALFORMED();
  const n = body as MidtransNotification;
  const orderId = text(n.order_id, 50);
  const statusCode = text(n.status_code, 3);
  const gross = text(n.gross_amount, 32);
  const signature = text(n.signature_key, 256);
  const reference = referenceOfOrderId(orderId);
  const estateId = estateOfReference(reference);
  if (!orderId || !statusCode || !gross || !signature || !estateId) throw SIGNATURE_INVALID();
  const store = new ScopedStore(app.db.knex, estateId, SYSTEM_ACTOR, app.sync);
  let serverKey: string;
  try {
    // A gateway switched off (or replaced by Xendit) later still confirms the charges made while it was on.
    serverKey = (await configuredGateway(store, app.dataDir, { requireEnabled: false, provider: 'midtrans' })).secretKey;
  } catch {
    throw SIGNATURE_INVALID();
  }
  if (!sameSecret(signature.toLowerCase(), midtransSignature(orderId, statusCode, gross, serverKey))) throw SIGNATURE_INVALID();

  const transactionId = text(n.transaction_id, 100);
  const transactionStatus = text(n.transaction_status, 40);
  if (!transactionId || !transactionStatus) throw MALFORMED();
  const kept: Record<string, string> = {};
  for (const name of ['content-type', 'user-agent']) {
    const v = headers[name];
    if (typeof v === 'string') kept[name] = v.slice(0, 500);
  }
  // The signature is kept with the body (it is what Midtrans sent); it proves nothing without the server key.
  const stored = await receiveWebhook(
    app.db.knex,
    {
      provider: 'midtrans',
      eventId: `${transactionId}:${transactionStatus}`,
      estateId,
      headers: kept,
      body: rawBody ?? JSON.stringify(body),
    },
    processMidtransNotificationJob,
  );
  return { received: true, duplicate: stored.duplicate };
}

/** Not yet possible; the job is retried with backoff (and shows as failed in the office once its tries run out). */
class NotYet extends Error {}

export const processMidtransNotificationJob = defineJob({
  name: 'ledger.process-midtrans-webhook',
  schema: z.object({ webhook_event_id: z.string() }),
  // It talks to Midtrans: no transaction is held across the call; settling is its own transaction, idempotent per charge.
  transactional: false,
  maxAttempts: 10,
  // Its time goes on Midtrans's answer; settling is one short transaction, idempotent per charge.
  overlaps: true,
  run: async (ctx, payload) => {
    const event = await platformKnex(ctx.app.db.knex)('webhook_events').where({ id: payload.webhook_event_id }).first();
    if (!event || event.status === 'processed') return;
    const body = JSON.parse(event.body) as MidtransNotification;
    const store = ctx.store();
    const orderId = String(body.order_id);
    const reference = referenceOfOrderId(orderId) ?? orderId;
    const charge = (await store.query('online_charges').where('online_charges.reference', reference).first()) as ChargeRow | undefined;
    // Before the charge is known here (sync has not brought it, or its row is still being written): later.
    if (!charge) throw new NotYet(`no charge with reference ${reference} yet`);
    const finish = () => store.transaction(async (tx) => markWebhookProcessed(tx.knex as Knex.Transaction, event.id));
    if (charge.status === 'paid' || charge.status === 'amount_mismatch') return finish();

    const { gateway } = await configuredGateway(store, ctx.app.dataDir, { requireEnabled: false, provider: 'midtrans' });
    const remote = await gateway.getCharge(orderId);
    if (remote.reference !== charge.reference) return finish();

    if (remote.status === 'paid') {
      await settleCharge(store, charge.id, remote, { webhookEventId: event.id });
      return;
    }
    if (remote.status === 'expired' || remote.status === 'failed') {
      await store.transaction(async (tx) => {
        await tx.updateWhere(
          'online_charges',
          (q) => q.where('online_charges.id', charge.id).whereIn('online_charges.status', ['creating', 'pending']),
          { status: remote.status, updated_at: nowIso() },
          `online_charges.${remote.status}`,
        );
        await markWebhookProcessed(tx.knex as Knex.Transaction, event.id);
      });
      return;
    }
    // The notification says paid but Midtrans does not (yet): ask again later rather than forget it. A challenged
    // card capture is not a claim of payment: it waits for the merchant's review, whose outcome comes as its own
    // notification (or the reconciliation finds it).
    if (midtransChargeStatus(body) === 'paid') throw new NotYet(`midtrans order ${orderId} is not paid yet`);
    return finish();
  },
});
