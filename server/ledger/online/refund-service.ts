import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { namedAccountFor } from '../../cashbook/index.ts';
import { ConflictError, NotFoundError, UnprocessableError } from '../../http/errors.ts';
import { openInvoicesOfUnit } from '../ledger-store.ts';
import { recordPayment, reversePayment, type PaymentMethod } from '../payment-service.ts';
import { lockUnit } from '../row-lock.ts';
import { GatewayUnavailableError, type ChargeRow } from './charge-service.ts';
import { GatewayFailure } from './gateway.ts';
import { configuredGateway } from './gateway-settings.ts';
import type { OnlineRefundView } from './schemas.ts';
import { GATEWAY_ACCOUNT_NAME } from './settle.ts';

interface RefundableCharge extends ChargeRow {
  refund_reference: string | null;
  refund_amount: number | string | null;
  refund_reason: string | null;
  refund_status: 'requesting' | 'refunded' | 'failed' | null;
  refund_gateway_id: string | null;
  refund_error: string | null;
  refund_requested_by: string | null;
  refunded_at: string | null;
  refund_kept_payment_id: string | null;
}

/** The gateway's idempotency key for a charge's refund: one charge, one refund, however often it is asked for. */
export const refundReference = (charge: { reference: string }) => `${charge.reference}-refund`;

function refundView(charge: RefundableCharge): OnlineRefundView {
  return {
    charge_id: charge.id,
    status: charge.refund_status ?? 'requesting',
    amount: Number(charge.refund_amount),
    reason: charge.refund_reason ?? '',
    reference: charge.refund_reference ?? refundReference(charge),
    gateway_refund_id: charge.refund_gateway_id,
    payment_id: charge.payment_id!,
    kept_payment_id: charge.refund_kept_payment_id,
    refunded_at: charge.refunded_at,
  };
}

/** Thrown inside a transaction to roll back a trial of the ledger's side before the gateway is asked. */
class TrialOnly extends Error {}

/**
 * A refund of an online payment from the office. The order keeps money and books together:
 * 1. Under the unit's lock the request is checked (a paid charge, at most the recorded payment, not reversed) and the
 *    ledger's side is tried and rolled back, so a reversal the ledger would refuse (its credit already paid out)
 *    never becomes money sent back; then the refund is written as `requesting` with its deterministic reference.
 * 2. The gateway is asked under that reference as its idempotency key: a double submit, two requests at once or a
 *    retry after a timeout make one refund there.
 * 3. Under the lock again, once: the payment is reversed with the reason (allocations, credit, cash-book line out of
 *    the gateway's balance account); a partial refund records what was kept as a new payment into the same account,
 *    so the cash book moves by exactly the refunded amount. The charge row's refund columns are its audit trail.
 */
export async function refundOnlineCharge(
  store: ScopedStore,
  dataDir: string,
  chargeId: string,
  input: { amount?: number; reason: string },
): Promise<OnlineRefundView> {
  // What the ledger will do is tried first and rolled back: a refusal costs nothing at the gateway and writes nothing.
  try {
    await store.transaction(async (tx) => {
      const asked = await askedRefund(tx, chargeId, input);
      if (asked.state === 'new') await applyLedgerRefund(tx, asked.charge, asked.amount, input.reason);
      throw new TrialOnly();
    });
  } catch (err) {
    if (!(err instanceof TrialOnly)) throw err;
  }
  const asked = await store.transaction(async (tx) => {
    const found = await askedRefund(tx, chargeId, input);
    if (found.state !== 'new') return found;
    await tx.updateWhere(
      'online_charges',
      (q) => q.where('online_charges.id', chargeId),
      {
        refund_reference: refundReference(found.charge),
        refund_amount: found.amount,
        refund_reason: input.reason,
        refund_status: 'requesting',
        refund_error: null,
        refund_requested_by: tx.actor.userId,
        updated_at: nowIso(),
      },
      'online_charges.refund_requested',
    );
    return { ...found, charge: (await tx.get<RefundableCharge>('online_charges', chargeId, 'Tagihan online'))! };
  });
  if (asked.state === 'done') return refundView(asked.charge);
  const { charge, amount } = asked;

  const { gateway } = await configuredGateway(store, dataDir, { requireEnabled: false, provider: charge.provider });
  let refundId: string;
  try {
    refundId = (await gateway.refund(charge.gateway_id!, amount, charge.refund_reference!)).id;
  } catch (err) {
    if (!(err instanceof GatewayFailure)) throw err;
    const detail = `${err.status ?? '-'} ${err.code ?? ''} ${err.message}`.slice(0, 500);
    // Refused (not refundable, over the amount): ended, and may be asked again. Unreachable: stays requesting, and
    // the same request again completes it under the same reference.
    const refused = err.status !== null && err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
    await markRefund(store, charge.id, { refund_status: refused ? 'failed' : 'requesting', refund_error: detail });
    if (refused) throw new ConflictError('GATEWAY_REFUND_REFUSED', 'Gateway menolak pengembalian dana ini.');
    throw new GatewayUnavailableError();
  }

  return store.transaction(async (tx) => {
    await lockUnit(tx, charge.unit_id);
    const held = (await tx.get<RefundableCharge>('online_charges', charge.id, 'Tagihan online'))!;
    // Two requests at once both reach here with the gateway's one refund: the first books it.
    if (held.refund_status === 'refunded') return refundView(held);
    const kept = await applyLedgerRefund(tx, held, amount, input.reason);
    await tx.updateWhere(
      'online_charges',
      (q) => q.where('online_charges.id', held.id).whereNot('online_charges.refund_status', 'refunded'),
      {
        refund_status: 'refunded',
        refund_gateway_id: refundId.slice(0, 200),
        refund_error: null,
        refunded_at: nowIso(),
        refund_kept_payment_id: kept,
        updated_at: nowIso(),
      },
      'online_charges.refunded',
    );
    return refundView((await tx.get<RefundableCharge>('online_charges', charge.id, 'Tagihan online'))!);
  });
}

/**
 * The request checked under the unit's lock: `new` (to be written and sent), `resume` (the same refund is on its way:
 * ask the gateway again under its reference) or `done` (the same refund was made: its answer again).
 */
async function askedRefund(
  tx: ScopedStore,
  chargeId: string,
  input: { amount?: number; reason: string },
): Promise<{ charge: RefundableCharge; amount: number; state: 'new' | 'resume' | 'done' }> {
  const found = await tx.find<RefundableCharge>('online_charges', chargeId);
  if (!found) throw new NotFoundError('Tagihan online');
  await lockUnit(tx, found.unit_id);
  const charge = (await tx.get<RefundableCharge>('online_charges', chargeId, 'Tagihan online'))!;
  if (!charge.payment_id || (charge.status !== 'paid' && charge.status !== 'amount_mismatch')) {
    throw new ConflictError('CHARGE_NOT_PAID', 'Tagihan online ini belum dibayar, jadi tidak ada yang dikembalikan.');
  }
  const payment = (await tx.query('payments').where('payments.id', charge.payment_id).first('amount')) as { amount: number | string };
  const paid = Number(payment.amount);
  const amount = input.amount ?? paid;
  if (charge.refund_status === 'refunded' || charge.refund_status === 'requesting') {
    // The same request again (a double click, a retry after a timeout) answers, or completes, the one refund.
    if (Number(charge.refund_amount) === amount) return { charge, amount, state: charge.refund_status === 'refunded' ? 'done' : 'resume' };
    throw new ConflictError('ALREADY_REFUNDED', 'Pembayaran online ini sudah dikembalikan atau sedang dikembalikan.');
  }
  if (amount > paid) {
    throw new UnprocessableError('REFUND_EXCEEDS_PAYMENT', `Jumlah pengembalian melebihi pembayaran (Rp ${paid}).`, 'amount');
  }
  const reversed = await tx.query('payment_reversals').where('payment_id', charge.payment_id).first();
  if (reversed) throw new ConflictError('ALREADY_REVERSED', 'Pembayaran ini sudah dibatalkan.');
  return { charge, amount, state: 'new' };
}

/**
 * The ledger's side of a refund, with the existing reversal rules: the payment is reversed with the reason; a partial
 * refund records what was kept as a new payment into the gateway's account, to the charge's invoices still open
 * (or oldest first). Returns the kept payment's id.
 */
async function applyLedgerRefund(tx: ScopedStore, charge: RefundableCharge, amount: number, reason: string): Promise<string | null> {
  const payment = (await tx.query('payments').where('payments.id', charge.payment_id).first()) as {
    amount: number | string;
    paid_at: string;
    number: string;
    method: string;
  };
  await reversePayment(tx, charge.payment_id!, `Refund online ${charge.provider}: ${reason}`.slice(0, 500));
  const keep = Number(payment.amount) - amount;
  if (keep <= 0) return null;
  const chosen: string[] = JSON.parse(charge.invoice_ids);
  const open = new Set((await openInvoicesOfUnit(tx, charge.unit_id)).map((i) => i.id));
  const invoiceIds = chosen.filter((id) => open.has(id));
  const account = await namedAccountFor(tx, 'ewallet', GATEWAY_ACCOUNT_NAME[charge.provider] ?? `Saldo ${charge.provider}`);
  const kept = await recordPayment(
    tx,
    {
      unit_id: charge.unit_id,
      amount: keep,
      method: payment.method as PaymentMethod,
      paid_at: payment.paid_at,
      reference: charge.refund_reference,
      notes: `Sisa pembayaran ${payment.number} setelah refund sebagian (${amount})`.slice(0, 500),
      invoice_ids: invoiceIds.length ? invoiceIds : null,
      payer_resident_id: charge.resident_id,
    },
    { source: 'portal', cashbookAccountId: account.id },
  );
  return kept.id;
}

async function markRefund(store: ScopedStore, chargeId: string, values: Partial<RefundableCharge>): Promise<void> {
  await store.updateWhere(
    'online_charges',
    (q) => q.where('online_charges.id', chargeId).whereNot('online_charges.refund_status', 'refunded'),
    { ...values, updated_at: nowIso() },
    `online_charges.refund_${values.refund_status}`,
  );
}
