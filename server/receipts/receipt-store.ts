import { dialectOf } from '../db/knex.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { isUniqueViolation, NotFoundError } from '../http/errors.ts';
import { rupiah, terbilang } from '../money/rupiah.ts';
import { occupantPayer } from '../ledger/index.ts';
import { receiptSettings } from '../settings/index.ts';
import { usablePublicUrl } from '../public-url/index.ts';
import { periodLabel, receiptNumberFor, type ReceiptData, type ReceiptItem } from './receipt-data.ts';
import { receiptItemsFor } from './receipt-lines.ts';
import { newVerifyCode } from './verify-code.ts';

export interface ReceiptRow {
  id: string;
  estate_id: string;
  payment_id: string;
  receipt_number: string;
  verify_code: string;
  created_at: string;
}

async function paymentRow(store: ScopedStore, paymentId: string): Promise<Record<string, any>> {
  if (typeof paymentId !== 'string' || paymentId.length > 64) throw new NotFoundError('Pembayaran');
  const row = await store.query('payments').where('payments.id', paymentId).first();
  if (!row) throw new NotFoundError('Pembayaran');
  return row;
}

/** The payment's receipt, created the first time it is asked for (its number follows the payment's). */
export async function ensureReceipt(store: ScopedStore, paymentId: string): Promise<ReceiptRow> {
  try {
    return await createReceiptOnce(store, paymentId);
  } catch (err) {
    // Two first looks at one receipt at once (two tabs, a double click): the loser reads the winner's row.
    if (!isUniqueViolation(err) || store.inTransaction) throw err;
    return createReceiptOnce(store, paymentId);
  }
}

async function createReceiptOnce(store: ScopedStore, paymentId: string): Promise<ReceiptRow> {
  return store.transaction(async (tx) => {
    const existing = (await tx.query('receipts').where('receipts.payment_id', paymentId).first()) as ReceiptRow | undefined;
    if (existing) return existing;
    const payment = await paymentRow(tx, paymentId);
    return tx.appendOnly<ReceiptRow & Record<string, unknown>>(
      'receipts',
      {
        payment_id: payment.id,
        receipt_number: receiptNumberFor(payment.number),
        verify_code: newVerifyCode(),
      },
      'receipts.create',
    );
  });
}

/** How many counted prints a receipt has had; reading it never counts as one. */
export async function printCount(store: ScopedStore, receiptId: string): Promise<number> {
  const row = await store.query('receipt_prints').where('receipt_prints.receipt_id', receiptId).max({ n: 'print_number' }).first();
  return Number(row?.n ?? 0);
}

const localPrintQueues = new Map<string, Promise<unknown>>();

/**
 * One counted print of a receipt: takes the next number (1 = the original), lets `produce` make the document with it
 * (render the PDF, send the slip), and records the print only when that worked, so a printer that is off does not use
 * up the original. Prints of one receipt run one at a time, so two clicks at once make one original and one copy:
 * on PostgreSQL under a lock on the receipt row (any number of server processes), on SQLite in the one server process
 * that owns the file, without holding its single writer while the printer works.
 */
export async function countedPrint<T>(
  store: ScopedStore,
  receiptId: string,
  format: 'pdf' | 'thermal',
  produce: (printNumber: number) => Promise<T>,
): Promise<{ printNumber: number; result: T }> {
  const once = async (s: ScopedStore) => {
    const printNumber = (await printCount(s, receiptId)) + 1;
    const result = await produce(printNumber);
    await s.appendOnly(
      'receipt_prints',
      { receipt_id: receiptId, print_number: printNumber, format, printed_by: s.actor.userId ?? null },
      'receipts.print',
    );
    return { printNumber, result };
  };
  if (dialectOf(store.knex as never) === 'postgres') {
    return store.transaction(async (tx) => {
      await tx.query('receipts').where('receipts.id', receiptId).forUpdate().first('id');
      return once(tx);
    });
  }
  const key = `${store.estateId}:${receiptId}`;
  const previous = localPrintQueues.get(key) ?? Promise.resolve();
  const mine = previous.catch(() => undefined).then(() => once(store));
  localPrintQueues.set(key, mine);
  try {
    return await mine;
  } finally {
    if (localPrintQueues.get(key) === mine) localPrintQueues.delete(key);
  }
}

export function verifyUrl(base: string, code: string): string {
  return `${base.replace(/\/+$/, '')}/api/v1/receipts/verify/${code}`;
}

/** Reads the payment, what it paid, who paid and who received it, from the payments tables. */
export async function loadReceiptData(store: ScopedStore, receipt: ReceiptRow, publicUrl: string): Promise<ReceiptData> {
  const payment = await paymentRow(store, receipt.payment_id);
  const k = store.knex;
  const estate = await k('estates').where({ id: store.estateId }).first('name', 'address', 'rt', 'rw', 'timezone');
  const unit = await store.query('units').where('units.id', payment.unit_id).first('code');
  // The payer recorded with the payment; rows recorded before it was kept name whoever lived there on that day.
  const payerName =
    payment.payer_name ?? (payment.payer_resident_id ? null : (await occupantPayer(store, payment.unit_id, payment.paid_at)).payer_name);

  const allocations = await store
    .query('payment_allocations')
    .join('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .where('payment_allocations.payment_id', payment.id)
    .where('payment_allocations.reason', 'payment')
    .where('payment_allocations.amount', '>', 0)
    .groupBy('invoices.id', 'invoices.number', 'invoices.period', 'invoices.kind')
    .orderBy('invoices.period')
    .select('invoices.id', 'invoices.number', 'invoices.period', 'invoices.kind')
    .min({ first_at: 'payment_allocations.created_at' })
    .sum({ amount: 'payment_allocations.amount' });
  const invoiceIds = allocations.map((a: any) => a.id as string);
  const [lines, earlier] = invoiceIds.length
    ? await Promise.all([
        // Line ids sort in the order the invoice lists its lines (time-ordered, or invoiceLineId for a billing run).
        store
          .query('invoice_lines')
          .whereIn('invoice_lines.invoice_id', invoiceIds)
          .orderBy('id')
          .select('invoice_id', 'description', 'amount'),
        store
          .query('payment_allocations')
          .whereIn('payment_allocations.invoice_id', invoiceIds)
          .where((q) => q.whereNull('payment_allocations.payment_id').orWhereNot('payment_allocations.payment_id', payment.id))
          .select('invoice_id', 'amount', 'created_at'),
      ])
    : [[], []];
  const items: ReceiptItem[] = receiptItemsFor(
    allocations.map((a: any) => ({
      number: a.number,
      period_label: periodLabel(a.period),
      kind: a.kind,
      lines: lines.filter((l: any) => l.invoice_id === a.id).map((l: any) => ({ description: l.description, amount: Number(l.amount) })),
      paid_before: earlier
        .filter((x: any) => x.invoice_id === a.id && x.created_at < a.first_at)
        .reduce((sum: number, x: any) => sum + Number(x.amount), 0),
      allocated: Number(a.amount),
    })),
  );
  const credit = await store
    .query('credit_movements')
    .where('credit_movements.payment_id', payment.id)
    .where('credit_movements.kind', 'payment_excess')
    .sum({ amount: 'amount' })
    .first();
  const creditAmount = Number(credit?.amount ?? 0);
  if (creditAmount > 0) items.push({ description: 'Saldo titipan (untuk tagihan berikutnya)', amount: creditAmount });

  const reversal = await store.query('payment_reversals').where('payment_reversals.payment_id', payment.id).first('id');
  const receiver = payment.recorded_by ? await k('users').where({ id: payment.recorded_by }).first('name') : undefined;
  const settings = await receiptSettings(store);
  const amount = Number(payment.amount);
  return {
    estate: { name: estate.name, address: estate.address ?? null, rt: estate.rt ?? null, rw: estate.rw ?? null },
    receipt_number: receipt.receipt_number,
    payment_number: payment.number,
    unit_code: unit?.code ?? '',
    payer_name: payerName ?? null,
    items,
    amount,
    amount_words: terbilang(rupiah(amount)),
    method: payment.method,
    reference: payment.reference ?? null,
    paid_at: payment.paid_at,
    timezone: estate.timezone || 'Asia/Jakarta',
    received_by: receiver?.name ?? null,
    status: reversal ? 'reversed' : 'valid',
    verify_url: verifyUrl(usablePublicUrl(settings.public_base_url) ?? publicUrl, receipt.verify_code),
  };
}
