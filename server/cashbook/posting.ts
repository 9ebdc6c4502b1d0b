import { accountKindForMethod } from './categories.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { appendCashbookEntries, findEntryBySource, lockCashbook, type CashbookEntryRow } from './append-entry.ts';
import { defaultAccountFor, existingDefaultAccount } from './accounts-store.ts';
import { estateToday, localDateOfInstant } from '../calendar/calendar.ts';
import { isCashbookHome } from './home-site.ts';
import { isPeriodClosed } from './period-closing-store.ts';

/**
 * What the payments code calls inside its own transaction, so a payment, its reversal or a credit refund and the
 * matching cash-book line commit together or not at all. Each posting is idempotent per source: calling it twice
 * for the same payment returns the first entry (and the unique index on the source keeps it so).
 *
 * Only the estate's home site appends to the chain (home-site.ts): elsewhere these return null and the fact waits
 * for sync to carry it home, where `arrived: true` posts it.
 */
export interface PostingOptions {
  /** The fact came from another site by sync: its month may be closed here meanwhile, so it is booked today. */
  arrived?: boolean;
}

/** The entry's day: the fact's own, unless a fact that arrived late falls in a month the home site has closed. */
async function postingDate(tx: ScopedStore, instant: string, opts: PostingOptions): Promise<string> {
  const tz = await tx.timezone();
  const day = localDateOfInstant(instant, tz);
  if (opts.arrived && (await isPeriodClosed(tx, day.slice(0, 7)))) return estateToday(tz);
  return day;
}
export interface PaymentPosting {
  payment_id: string;
  payment_number: string;
  unit_code: string;
  amount: number;
  method: string;
  /** UTC ISO-8601; the entry is dated on the estate's local calendar day. */
  paid_at: string;
  recorded_by: string | null;
  /** The account the money landed in when it is not the method's default (a gateway's balance, "Saldo Xendit"). */
  account_id?: string | null;
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

/**
 * The account a payment of `method` lands in when nobody chose one, if the estate has it already (else null, and the
 * posting makes it under the lock). Read before a payment takes the estate's locks, so the posting asks one thing
 * less while every other payment of the estate waits.
 */
export async function defaultPaymentAccountId(tx: ScopedStore, method: string): Promise<string | null> {
  return (await existingDefaultAccount(tx, accountKindForMethod(method)))?.id ?? null;
}

export async function postPaymentToCashbook(
  tx: ScopedStore,
  p: PaymentPosting,
  /** newPayment: the payment was written in this transaction, so it cannot have a line yet. */
  opts: PostingOptions & { newPayment?: boolean } = {},
): Promise<CashbookEntryRow | null> {
  if (!opts.newPayment) {
    const existing = await findEntryBySource(tx, 'payment', p.payment_id, 'in');
    if (existing) return existing;
  }
  // Before the default account is looked up: the first payments of a new estate create it once, not once each.
  await lockCashbook(tx);
  if (!(await isCashbookHome(tx))) return null;
  const account = p.account_id ? { id: p.account_id } : await defaultAccountFor(tx, accountKindForMethod(p.method));
  const entryDate = await postingDate(tx, p.paid_at, opts);
  const [entry] = await appendCashbookEntries(
    tx,
    [
      {
        account_id: account.id,
        direction: 'in',
        amount: p.amount,
        category: 'iuran',
        entry_date: entryDate,
        description: `Pembayaran ${p.payment_number} unit ${p.unit_code}`,
        proof_number: p.payment_number,
        source_type: 'payment',
        source_id: p.payment_id,
        recorded_by: p.recorded_by,
      },
    ],
    { accountsChecked: true, homeChecked: true },
  );
  return entry;
}

/**
 * Takes the money back out of the account the payment went into, dated on the day of the reversal (the original
 * month may already be closed). Returns null when the payment never reached the cash book (e.g. it was pending).
 */
export async function postPaymentReversal(
  tx: ScopedStore,
  p: PaymentReversalPosting,
  opts: PostingOptions = {},
): Promise<CashbookEntryRow | null> {
  const original = await findEntryBySource(tx, 'payment', p.payment_id, 'in');
  if (!original) return null;
  const existing = await findEntryBySource(tx, 'payment_reversal', p.payment_id, 'out');
  if (existing) return existing;
  await lockCashbook(tx);
  if (!(await isCashbookHome(tx))) return null;
  const entryDate = await postingDate(tx, p.reversed_at, opts);
  const [entry] = await appendCashbookEntries(
    tx,
    [
      {
        account_id: original.account_id,
        direction: 'out',
        amount: original.amount,
        category: 'reversal',
        entry_date: entryDate,
        description: `Pembatalan pembayaran ${p.payment_number} unit ${p.unit_code}${p.reason ? `: ${p.reason}` : ''}`,
        proof_number: p.payment_number,
        source_type: 'payment_reversal',
        source_id: p.payment_id,
        reverses_entry_id: original.id,
        recorded_by: p.recorded_by,
      },
    ],
    { homeChecked: true },
  );
  return entry;
}

/** A unit's credit (saldo titipan) paid back to the resident: money out of the account matching the method. */
export async function postCreditRefund(
  tx: ScopedStore,
  p: CreditRefundPosting,
  opts: PostingOptions = {},
): Promise<CashbookEntryRow | null> {
  const existing = await findEntryBySource(tx, 'credit_refund', p.refund_id, 'out');
  if (existing) return existing;
  await lockCashbook(tx);
  if (!(await isCashbookHome(tx))) return null;
  const account = await defaultAccountFor(tx, accountKindForMethod(p.method));
  const entryDate = await postingDate(tx, p.refunded_at, opts);
  const [entry] = await appendCashbookEntries(
    tx,
    [
      {
        account_id: account.id,
        direction: 'out',
        amount: p.amount,
        category: 'credit_refund',
        entry_date: entryDate,
        description: p.description || `Pengembalian saldo titipan unit ${p.unit_code}`,
        proof_number: null,
        source_type: 'credit_refund',
        source_id: p.refund_id,
        recorded_by: p.recorded_by,
      },
    ],
    { homeChecked: true },
  );
  return entry;
}

export interface GatewayFeePosting {
  payment_id: string;
  payment_number: string;
  unit_code: string;
  provider: string;
  amount: number;
  /** The gateway's balance account the payment went into; the fee leaves it. */
  account_id: string;
  paid_at: string;
  recorded_by: string | null;
}

/**
 * The gateway's fee on an online payment the estate bears: an expense out of the gateway's balance account, dated
 * with the payment, once per payment.
 */
export async function postGatewayFee(tx: ScopedStore, p: GatewayFeePosting, opts: PostingOptions = {}): Promise<CashbookEntryRow | null> {
  if (p.amount <= 0) return null;
  const existing = await findEntryBySource(tx, 'gateway_fee', p.payment_id, 'out');
  if (existing) return existing;
  await lockCashbook(tx);
  if (!(await isCashbookHome(tx))) return null;
  const [entry] = await appendCashbookEntries(
    tx,
    [
      {
        account_id: p.account_id,
        direction: 'out',
        amount: p.amount,
        category: 'gateway_fee',
        entry_date: await postingDate(tx, p.paid_at, opts),
        description: `Biaya ${p.provider} pembayaran ${p.payment_number} unit ${p.unit_code}`,
        proof_number: p.payment_number,
        source_type: 'gateway_fee',
        source_id: p.payment_id,
        recorded_by: p.recorded_by,
      },
    ],
    { homeChecked: true },
  );
  return entry;
}
