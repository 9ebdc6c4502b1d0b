import type { Knex } from 'knex';
import { nowIso } from '../../db/clock.ts';
import type { ScopedStore } from '../../db/scoped-store.ts';
import { namedAccountFor } from '../../cashbook/index.ts';
import { markWebhookProcessed } from '../../jobs/webhook-inbox.ts';
import { raiseLedgerNotice } from '../notices.ts';
import { recordPayment } from '../payment-service.ts';
import { lockUnit } from '../row-lock.ts';
import type { GatewayVaPayment } from './gateway.ts';
import { GATEWAY_ACCOUNT_NAME } from './settle.ts';
import type { VirtualAccountRow } from './virtual-accounts.ts';

/**
 * Records a transfer into a unit's virtual account, once per gateway payment id: the unit is locked, the transfer
 * looked up under the lock, and only a new one becomes a ledger payment (method bank_transfer, oldest invoices first
 * like cash, the rest as the unit's credit, receipt, cash-book line into the gateway's balance). Money that finds
 * nothing owing is kept as credit and the treasurer is told. The unique (estate, gateway payment id) index stands
 * behind the lock.
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
    const payment = await recordPayment(
      tx,
      {
        unit_id: account.unit_id,
        amount: remote.amount,
        method: 'bank_transfer',
        paid_at: remote.paidAt ?? nowIso(),
        reference: remote.id.slice(0, 100),
        notes: `VA ${account.bank} ${account.account_number ?? ''} ${account.provider}`.slice(0, 500),
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
