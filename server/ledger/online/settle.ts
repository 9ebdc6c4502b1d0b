import type { Knex } from 'knex';
import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { namedAccountFor, postGatewayFee } from '../../cashbook/index.ts';
import { markWebhookProcessed } from '../../jobs/webhook-inbox.ts';
import { openInvoicesOfUnit } from '../ledger-store.ts';
import { raiseLedgerNotice } from '../notices.ts';
import { recordPayment } from '../payment-service.ts';
import { lockUnit } from '../row-lock.ts';
import type { ChargeRow } from './charge-service.ts';
import type { GatewayCharge } from './gateway.ts';
import { feeOn } from './gateway-fee.ts';

/** The cash-book account a gateway's money lands in until the estate withdraws it to its bank. */
export const GATEWAY_ACCOUNT_NAME: Record<string, string> = { xendit: 'Saldo Xendit', midtrans: 'Saldo Midtrans' };

export type SettleOutcome = 'recorded' | 'already' | 'amount_mismatch';

/**
 * Records the money of a charge the gateway says is paid, once: the unit is locked, the charge re-read, and only a
 * charge not yet settled is recorded (a payment through the ledger: PAY number, allocation to its invoices that are
 * still open or else oldest first, credit for the rest, receipt, cash-book line into the gateway's balance account).
 * A paid amount that differs from the charge is recorded all the same, as it was paid; the charge is flagged
 * `amount_mismatch` and a notice tells the treasurer.
 */
export async function settleCharge(
  store: ScopedStore,
  chargeId: string,
  remote: GatewayCharge,
  /** `unitId`: the charge's unit, when the caller has read the charge already (a charge never changes unit). */
  opts: { webhookEventId?: string; unitId?: string } = {},
): Promise<SettleOutcome> {
  return store.transaction(async (tx) => {
    await lockUnit(tx, opts.unitId ?? (await tx.get<ChargeRow>('online_charges', chargeId, 'Tagihan online'))!.unit_id);
    // Read again under the lock: a duplicate event settled meanwhile is seen here.
    const charge = (await tx.get<ChargeRow>('online_charges', chargeId, 'Tagihan online'))!;
    const done = async (outcome: SettleOutcome) => {
      if (opts.webhookEventId) await markWebhookProcessed(tx.knex as Knex.Transaction, opts.webhookEventId);
      return outcome;
    };
    if (charge.status === 'paid' || charge.status === 'amount_mismatch') return done('already');

    const paidAmount = Number(remote.paidAmount ?? remote.amount);
    // Money the gateway holds is never left unrecorded, whatever the amount: see "Amount mismatch" in the README.
    const mismatch = paidAmount !== Number(charge.amount);

    const chosen: string[] = JSON.parse(charge.invoice_ids);
    const stillOpen = new Set((await openInvoicesOfUnit(tx, charge.unit_id)).map((i) => i.id));
    const invoiceIds = chosen.filter((id) => stillOpen.has(id));
    const account = await namedAccountFor(tx, 'ewallet', GATEWAY_ACCOUNT_NAME[charge.provider] ?? `Saldo ${charge.provider}`);
    // A resident-borne fee was asked on top of the dues and stays with the gateway: the ledger records the dues.
    const residentFee = charge.fee_bearer === 'resident' ? Number(charge.fee_amount ?? 0) : 0;
    const dues = paidAmount > residentFee ? paidAmount - residentFee : paidAmount;
    const payment = await recordPayment(
      tx,
      {
        unit_id: charge.unit_id,
        amount: dues,
        method: charge.method === 'ewallet' ? 'ewallet' : 'qris',
        paid_at: remote.paidAt ?? nowIso(),
        reference: (remote.paymentId ?? remote.id).slice(0, 100),
        notes: `${charge.channel ?? 'QRIS'} ${charge.provider} ${charge.reference}`.slice(0, 500),
        // Invoices paid some other way meanwhile are left out; none left: oldest first, like money handed over.
        invoice_ids: invoiceIds.length ? invoiceIds : null,
        payer_resident_id: charge.resident_id,
      },
      { source: 'portal', cashbookAccountId: account.id },
    );
    if (charge.fee_bearer !== 'resident') {
      // The estate bears the fee: booked by the configured rule (gateway-fee.ts), as Xendit's callback carries none.
      await postGatewayFee(tx, {
        payment_id: payment.id,
        payment_number: payment.payment_number,
        unit_code: payment.unit_code ?? '',
        provider: charge.provider,
        amount: feeOn(charge.method, paidAmount),
        account_id: account.id,
        paid_at: payment.paid_at,
        recorded_by: tx.actor.userId,
      });
    }
    await tx.updateWhere(
      'online_charges',
      (q) => q.where('online_charges.id', charge.id).whereNotIn('online_charges.status', ['paid', 'amount_mismatch']),
      {
        status: mismatch ? 'amount_mismatch' : 'paid',
        paid_amount: paidAmount,
        payment_id: payment.id,
        paid_at: payment.paid_at,
        gateway_payment_id: remote.paymentId,
        updated_at: nowIso(),
      },
      'online_charges.paid',
    );
    if (mismatch) {
      // The payment above already holds the money (more: the excess is credit; less: the rest stays owing); the
      // treasurer is told once per charge, with both amounts, to settle it with the resident.
      await raiseLedgerNotice(tx, {
        kind: 'amount_mismatch',
        unitId: charge.unit_id,
        invoiceId: chosen[0],
        paymentId: payment.id,
        amount: paidAmount,
        dedupeKey: `amount_mismatch:online:${charge.id}`,
        details: {
          charge_id: charge.id,
          reference: charge.reference,
          provider: charge.provider,
          expected: Number(charge.amount),
          paid: paidAmount,
          credit: payment.credit,
        },
      });
      return done('amount_mismatch');
    }
    // Money meant for bills that were paid another way meanwhile: kept as the unit's credit, and the treasurer told.
    if (payment.credit > 0 && chosen.length > 0) {
      await raiseLedgerNotice(tx, {
        kind: 'overpayment',
        unitId: charge.unit_id,
        invoiceId: chosen.find((id) => !stillOpen.has(id)),
        paymentId: payment.id,
        amount: payment.credit,
        dedupeKey: `overpayment:online:${charge.id}`,
        details: { charge_id: charge.id, reference: charge.reference, provider: charge.provider },
      });
    }
    return done('recorded');
  });
}
