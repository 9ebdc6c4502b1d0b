import type { Knex } from 'knex';
import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { namedAccountFor, postGatewayFee } from '../../cashbook/index.ts';
import { markWebhookProcessed } from '../../jobs/webhook-inbox.ts';
import { raiseLedgerNotice } from '../notices.ts';
import { recordPayment } from '../payment-service.ts';
import { lockUnit } from '../row-lock.ts';
import type { GatewayVaPayment } from './gateway.ts';
import { splitVaTransfer, vaFeeFor } from './gateway-fee.ts';
import { gatewayRow, storedVaFees } from './gateway-settings.ts';
import { GATEWAY_ACCOUNT_NAME } from './settle.ts';
import type { VirtualAccountRow } from './virtual-accounts.ts';

/**
 * Records a transfer into a unit's virtual account, once per gateway payment id: the unit is locked, the transfer
 * looked up under the lock, and only a new one becomes a ledger payment (method bank_transfer, oldest invoices first
 * like cash, the rest as the unit's credit, receipt, cash-book line into the gateway's balance). Money that finds
 * nothing owing is kept as credit and the treasurer is told. The unique (estate, gateway payment id) index stands
 * behind the lock.
 *
 * The bank's fee follows the estate's rule as it stands when the transfer is recorded (see `splitVaTransfer`): borne
 * by the estate, it is booked in the same transaction as an expense out of the gateway's balance, keyed by the
 * payment, so the one payment per gateway payment id carries exactly one fee; borne by the resident, the payment is
 * the transfer less the fee.
 */
export async function settleVaTransfer(
  store: ScopedStore,
  account: VirtualAccountRow,
  remote: GatewayVaPayment,
  opts: { webhookEventId?: string } = {},
): Promise<'recorded' | 'already'> {
  return store.transaction(async (tx) => {
    await lockUnit(tx, account.unit_id);
    const done = async (outcome: 'recorded' | 'already') => {
      if (opts.webhookEventId) await markWebhookProcessed(tx.knex as Knex.Transaction, opts.webhookEventId);
      return outcome;
    };
    const seen = await tx.query('virtual_account_transfers').where('virtual_account_transfers.gateway_payment_id', remote.id).first('id');
    if (seen) return done('already');

    const cashbook = await namedAccountFor(tx, 'ewallet', GATEWAY_ACCOUNT_NAME[account.provider] ?? `Saldo ${account.provider}`);
    const gateway = await gatewayRow(tx, account.provider);
    const split = splitVaTransfer(gateway?.fee_bearer ?? 'estate', vaFeeFor(storedVaFees(gateway), account.bank), remote.amount);
    const feeNote = split.bornBy === 'resident' ? ` (transfer ${remote.amount}, biaya bank ${split.fee} ditanggung warga)` : '';
    const payment = await recordPayment(
      tx,
      {
        unit_id: account.unit_id,
        amount: split.dues,
        method: 'bank_transfer',
        paid_at: remote.paidAt ?? nowIso(),
        reference: remote.id.slice(0, 100),
        notes: `VA ${account.bank} ${account.account_number ?? ''} ${account.provider}${feeNote}`.slice(0, 500),
        invoice_ids: null,
        payer_resident_id: null,
      },
      { source: 'portal', cashbookAccountId: cashbook.id },
    );
    await tx.appendOnly(
      'virtual_account_transfers',
      {
        virtual_account_id: account.id,
        unit_id: account.unit_id,
        gateway_payment_id: remote.id,
        amount: remote.amount,
        paid_at: payment.paid_at,
        payment_id: payment.id,
        updated_at: nowIso(),
        deleted_at: null,
      },
      'virtual_account_transfers.record',
    );
    if (split.bornBy === 'estate') {
      await postGatewayFee(tx, {
        payment_id: payment.id,
        payment_number: payment.payment_number,
        unit_code: payment.unit_code ?? '',
        provider: account.provider,
        amount: split.fee,
        account_id: cashbook.id,
        paid_at: payment.paid_at,
        recorded_by: tx.actor.userId,
      });
    }
    if (payment.credit > 0) {
      await raiseLedgerNotice(tx, {
        kind: 'overpayment',
        unitId: account.unit_id,
        paymentId: payment.id,
        amount: payment.credit,
        dedupeKey: `overpayment:va:${remote.id}`,
        details: { virtual_account_id: account.id, bank: account.bank, provider: account.provider, gateway_payment_id: remote.id },
      });
    }
    return done('recorded');
  });
}
