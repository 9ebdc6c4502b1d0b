import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { z } from 'zod';
import { nowIso } from '../../db/clock.ts';
import { platformKnex } from '../../db/platform-store.ts';
import { SYSTEM_ACTOR, ScopedStore } from '../../db/scoped-store.ts';
import { sameSecret } from '../../secrets/index.ts';
import { BadRequestError, UnauthenticatedError } from '../../http/errors.ts';
import type { AppContext } from '../../http/app-context.ts';
import { defineJob } from '../../jobs/define-job.ts';
import { markWebhookProcessed, receiveWebhook } from '../../jobs/webhook-inbox.ts';
import { estateOfReference, type ChargeRow } from './charge-service.ts';
import { configuredGateway } from './gateway-settings.ts';
import { settleCharge } from './settle.ts';
import { settleVaTransfer } from './settle-virtual-account.ts';
import type { VirtualAccountRow } from './virtual-accounts.ts';

/**
 * Xendit's callbacks. The body names the charge by our reference, and the reference names the estate, whose callback
 * token the `x-callback-token` header must equal (compared in constant time) before anything is stored. The event is
 * stored once (provider, event id) and processed by a job that re-reads the charge from Xendit: the callback body is
 * never believed for money.
 */
const WEBHOOK_TOKEN_INVALID = () => new UnauthenticatedError('Token callback tidak sah.', 'WEBHOOK_TOKEN_INVALID');

interface XenditCallback {
  event?: unknown;
  id?: unknown;
  reference_id?: unknown;
  external_id?: unknown;
  data?: {
    id?: unknown;
    reference_id?: unknown;
    payment_request_id?: unknown;
    status?: unknown;
    created?: unknown;
    payment_method?: { id?: unknown; type?: unknown; reusability?: unknown; reference_id?: unknown } | null;
  } | null;
}

/** A transfer into a unit's reusable virtual account: no payment request, the account names the unit. */
function isVaTransfer(body: XenditCallback): boolean {
  const pm = body.data?.payment_method;
  return !!pm && pm.type === 'VIRTUAL_ACCOUNT' && pm.reusability === 'MULTIPLE_USE';
}

function referenceOf(body: XenditCallback): unknown {
  if (isVaTransfer(body)) return body.data?.payment_method?.reference_id;
  return body.data?.reference_id ?? body.reference_id ?? body.external_id;
}

const shortText = (v: unknown, max = 200): string | null => (typeof v === 'string' && v.length > 0 && v.length <= max ? v : null);

export async function receiveXenditWebhook(
  app: AppContext,
  headers: Record<string, string | string[] | undefined>,
  body: unknown,
  /** The body's bytes as the gateway sent them (null only when no parser kept them). */
  rawBody: string | null = null,
): Promise<{ received: true; duplicate: boolean }> {
  if (!body || typeof body !== 'object' || Array.isArray(body))
    throw new BadRequestError('WEBHOOK_MALFORMED', 'Isi callback tidak dikenali.');
  const callback = body as XenditCallback;
  const token = headers['x-callback-token'];
  const estateId = estateOfReference(referenceOf(callback));
  if (typeof token !== 'string' || !token || !estateId) throw WEBHOOK_TOKEN_INVALID();
  const store = new ScopedStore(app.db.knex, estateId, SYSTEM_ACTOR, app.sync);
  let expected: string;
  try {
    // A gateway switched off later still confirms the charges made while it was on.
    expected = (await configuredGateway(store, app.dataDir, { requireEnabled: false, provider: 'xendit' })).callbackToken ?? '';
  } catch {
    throw WEBHOOK_TOKEN_INVALID();
  }
  if (!expected || !sameSecret(token, expected)) throw WEBHOOK_TOKEN_INVALID();

  const named =
    shortText(headers['webhook-id'], 1000) ??
    (shortText(callback.data?.id, 1000) || shortText(callback.id, 1000)
      ? `${shortText(callback.event, 1000) ?? 'event'}:${shortText(callback.data?.id, 1000) ?? shortText(callback.id, 1000)}`
      : null);
  if (!named) throw new BadRequestError('WEBHOOK_MALFORMED', 'Isi callback tidak dikenali.');
  // The inbox keeps ids of up to 200 characters and the job's key adds the provider: a longer id is kept as its hash.
  const eventId = named.length <= 150 ? named : `sha256:${createHash('sha256').update(named).digest('hex')}`;
  // The token authenticates the sender; it is not kept with the event.
  const kept: Record<string, string> = {};
  for (const name of ['content-type', 'user-agent', 'webhook-id']) {
    const v = headers[name];
    if (typeof v === 'string') kept[name] = v.slice(0, 500);
  }
  const stored = await receiveWebhook(
    app.db.knex,
    { provider: 'xendit', eventId, estateId, headers: kept, body: rawBody ?? JSON.stringify(body) },
    processXenditWebhookJob,
  );
  return { received: true, duplicate: stored.duplicate };
}

/** Not yet possible; the job is retried with backoff (and shows as failed in the office once its tries run out). */
class NotYet extends Error {}

export const processXenditWebhookJob = defineJob({
  name: 'ledger.process-xendit-webhook',
  schema: z.object({ webhook_event_id: z.string() }),
  // It talks to Xendit: no database transaction is held open across the call. Settling is its own transaction and
  // is idempotent per charge, so a crash between it and the job's completion mark repeats nothing.
  transactional: false,
  maxAttempts: 10,
  // Its time goes on the gateway's answer; settling is one short transaction, idempotent per payment id.
  overlaps: true,
  run: async (ctx, payload) => {
    const event = await platformKnex(ctx.app.db.knex)('webhook_events')
      .where({ id: payload.webhook_event_id })
      .first('id', 'status', 'body');
    if (!event || event.status === 'processed') return;
    const body = JSON.parse(event.body) as XenditCallback;
    const store = ctx.store();
    const reference = String(referenceOf(body));
    if (isVaTransfer(body)) {
      return processVaTransfer(store, ctx.app.dataDir, event.id, reference, {
        paymentId: shortText(body.data?.id),
        around: shortText(body.data?.created, 64),
        saysPaid: body.event === 'payment.succeeded' || body.data?.status === 'SUCCEEDED',
      });
    }
    const charge = (await store.query('online_charges').where('online_charges.reference', reference).first()) as ChargeRow | undefined;
    // Before the charge is known here (sync has not brought it, or its row is still being written): later.
    if (!charge) throw new NotYet(`no charge with reference ${reference} yet`);
    const finish = (error?: string) =>
      store.transaction(async (tx) => {
        if (error) await markWebhookFailed(tx.knex as Knex.Transaction, event.id, error);
        else await markWebhookProcessed(tx.knex as Knex.Transaction, event.id);
      });
    if (charge.status === 'paid' || charge.status === 'amount_mismatch') return finish();

    const gatewayId = charge.gateway_id ?? shortText(body.data?.payment_request_id) ?? shortText(body.data?.id);
    if (!gatewayId) throw new NotYet(`charge ${charge.id} has no gateway id yet`);
    const { gateway } = await configuredGateway(store, ctx.app.dataDir, { requireEnabled: false, provider: charge.provider });
    const remote = await gateway.getCharge(gatewayId);
    // An event naming someone else's payment request under our reference is not about this charge.
    if (remote.reference !== charge.reference) return finish(`gateway charge ${gatewayId} belongs to ${remote.reference}`);

    if (remote.status === 'paid') {
      await settleCharge(store, charge.id, remote, { webhookEventId: event.id, unitId: charge.unit_id });
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
    // The event says paid but the gateway does not yet: ask again later rather than forget it.
    const saysPaid = body.event === 'payment.succeeded' || body.data?.status === 'SUCCEEDED';
    if (saysPaid) throw new NotYet(`gateway charge ${gatewayId} is not paid yet`);
    return finish();
  },
});

async function markWebhookFailed(trx: Knex.Transaction, id: string, error: string): Promise<void> {
  await trx('webhook_events')
    .where({ id })
    .update({ status: 'failed', processed_at: nowIso(), error: error.slice(0, 1000) });
}

/**
 * A transfer into a unit's virtual account: the transfer is read back from the gateway by its payment id under the
 * account's own id, and only what the gateway says was paid is recorded.
 */
async function processVaTransfer(
  store: ScopedStore,
  dataDir: string,
  eventId: string,
  reference: string,
  event: { paymentId: string | null; around: string | null; saysPaid: boolean },
): Promise<void> {
  const finish = (error?: string) =>
    store.transaction(async (tx) => {
      if (error) await markWebhookFailed(tx.knex as Knex.Transaction, eventId, error);
      else await markWebhookProcessed(tx.knex as Knex.Transaction, eventId);
    });
  const account = (await store.query('unit_virtual_accounts').where('unit_virtual_accounts.reference', reference).first()) as
    | VirtualAccountRow
    | undefined;
  // Not known here yet (sync has not brought it, or the answer that made it is still being written): later.
  if (!account?.gateway_id) throw new NotYet(`no virtual account with reference ${reference} yet`);
  if (!event.paymentId) return finish('callback names no payment');
  const { gateway } = await configuredGateway(store, dataDir, { requireEnabled: false, provider: 'xendit' });
  if (!gateway.getVaPayment) return finish(`${gateway.provider} has no virtual accounts`);
  const remote = await gateway.getVaPayment(account.gateway_id, event.paymentId, event.around);
  if (!remote) {
    if (event.saysPaid) throw new NotYet(`gateway has no payment ${event.paymentId} on ${account.gateway_id} yet`);
    return finish();
  }
  if (remote.accountId !== account.gateway_id) return finish(`payment ${remote.id} belongs to ${remote.accountId}`);
  if (remote.status === 'paid') {
    await settleVaTransfer(store, account, remote, { webhookEventId: eventId });
    return;
  }
  if (remote.status === 'pending' && event.saysPaid) throw new NotYet(`payment ${remote.id} is not paid yet`);
  return finish();
}
