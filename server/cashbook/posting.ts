import { accountKindForMethod } from './categories.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { appendCashbookEntries, findEntryBySource, lockCashbook, type CashbookEntryRow } from './append-entry.ts';
import { defaultAccountFor } from './accounts-store.ts';
import { localDateOfInstant } from '../calendar/calendar.ts';

/**
 * What the payments code calls inside its own transaction, so a payment, its reversal or a credit refund and the
 * matching cash-book line commit together or not at all. Each posting is idempotent per source: calling it twice
 * for the same payment returns the first entry.
 */
export interface PaymentPosting {
  payment_id: string;
  payment_number: string;
  unit_code: string;
  amount: number;
  method: string;
  /** UTC ISO-8601; the entry is dated on the estate's local calendar day. */
  paid_at: string;
  recorded_by: string | null;
}

export interface PaymentReversalPosting {
  payment_id: string;
  payment_number: string;
  unit_code: string;
  reversed_at: string;
  recorded_by: string | null;
  reason?: string | null;
}

export interface CreditRefundPosting {
  refund_id: string;
  unit_code: string;
  amount: number;
  method: string;
  refunded_at: string;
  recorded_by: string | null;
  description?: string | null;
}

export async function postPaymentToCashbook(
  tx: ScopedStore,
  p: PaymentPosting,
  /** newPayment: the payment was written in this transaction, so it cannot have a line yet. */
  opts: { newPayment?: boolean } = {},
): Promise<CashbookEntryRow> {
  if (!opts.newPayment) {
    const existing = await findEntryBySource(tx, 'payment', p.payment_id, 'in');
    if (existing) return existing;
  }
  // Before the default account is looked up: the first payments of a new estate create it once, not once each.
  await lockCashbook(tx);
  const account = await defaultAccountFor(tx, accountKindForMethod(p.method));
  const tz = await tx.timezone();
  const [entry] = await appendCashbookEntries(
    tx,
    [
      {
        account_id: account.id,
        direction: 'in',
        amount: p.amount,
        category: 'iuran',
        entry_date: localDateOfInstant(p.paid_at, tz),
        description: `Pembayaran ${p.payment_number} unit ${p.unit_code}`,
        proof_number: p.payment_number,
        source_type: 'payment',
        source_id: p.payment_id,
        recorded_by: p.recorded_by,
      },
    ],
    { accountsChecked: true },
  );
  return entry;
}

/**
 * Takes the money back out of the account the payment went into, dated on the day of the reversal (the original
 * month may already be closed). Returns null when the payment never reached the cash book (e.g. it was pending).
 */
export async function postPaymentReversal(tx: ScopedStore, p: PaymentReversalPosting): Promise<CashbookEntryRow | null> {
  const original = await findEntryBySource(tx, 'payment', p.payment_id, 'in');
  if (!original) return null;
  const existing = await findEntryBySource(tx, 'payment_reversal', p.payment_id, 'out');
  if (existing) return existing;
  const tz = await tx.timezone();
  const [entry] = await appendCashbookEntries(tx, [
    {
      account_id: original.account_id,
      direction: 'out',
      amount: original.amount,
      category: 'reversal',
      entry_date: localDateOfInstant(p.reversed_at, tz),
      description: `Pembatalan pembayaran ${p.payment_number} unit ${p.unit_code}${p.reason ? `: ${p.reason}` : ''}`,
      proof_number: p.payment_number,
      source_type: 'payment_reversal',
      source_id: p.payment_id,
      reverses_entry_id: original.id,
      recorded_by: p.recorded_by,
    },
  ]);
  return entry;
}

/** A unit's credit (saldo titipan) paid back to the resident: money out of the account matching the method. */
export async function postCreditRefund(tx: ScopedStore, p: CreditRefundPosting): Promise<CashbookEntryRow> {
  const existing = await findEntryBySource(tx, 'credit_refund', p.refund_id, 'out');
  if (existing) return existing;
  await lockCashbook(tx);
  const account = await defaultAccountFor(tx, accountKindForMethod(p.method));
  const tz = await tx.timezone();
  const [entry] = await appendCashbookEntries(tx, [
    {
      account_id: account.id,
      direction: 'out',
      amount: p.amount,
      category: 'credit_refund',
      entry_date: localDateOfInstant(p.refunded_at, tz),
      description: p.description || `Pengembalian saldo titipan unit ${p.unit_code}`,
      proof_number: null,
      source_type: 'credit_refund',
      source_id: p.refund_id,
      recorded_by: p.recorded_by,
    },
  ]);
  return entry;
}
