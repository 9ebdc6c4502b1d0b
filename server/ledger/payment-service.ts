import { DateTime } from 'luxon';
import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso, parseExplicitInstant } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { BadRequestError, ConflictError, NotFoundError } from '../http/errors.ts';
import { rupiah, type Rupiah } from '../money/rupiah.ts';
import { mintPaymentNumber, siteCodeOf } from './number-minting.ts';
import { localDateOfInstant } from '../calendar/calendar.ts';
import { defaultPaymentAccountId, postCreditRefund, postPaymentReversal, postPaymentToCashbook } from '../cashbook/index.ts';
import { AllocationError, allocateToOldestInvoices, planPaymentReversal } from './allocation.ts';
import { allocationRows, appendAllocations, appendCreditMovements, creditMovementRows } from './ledger-rows.ts';
import { creditOfUnit, liveAllocations, openInvoicesOfUnit, outstandingOfUnit } from './ledger-store.ts';
import { getRecord, unitCodes } from './records.ts';
import { lockUnit } from './row-lock.ts';
import { payerToRecord } from './payer.ts';
import { enqueueMessage, messageLinks, rupiahText, withdrawSettledReminders } from '../messages/index.ts';

// Defined beside the request and response schemas, which the renderer reads as types without this module's I/O.
import { PAYMENT_METHODS } from './payment-schemas.ts';
export { PAYMENT_METHODS };
export type PaymentMethod = (typeof PAYMENT_METHODS)[number];

export interface PaymentInput {
  unit_id: string;
  amount: number;
  method: PaymentMethod;
  /** UTC ISO instant, or an estate-local date "YYYY-MM-DD" (start of that day). */
  paid_at: string;
  reference?: string | null;
  notes?: string | null;
  invoice_ids?: string[] | null;
  /** Who paid, when the treasurer names them; otherwise the occupant on the payment date. */
  payer_resident_id?: string | null;
  payer_name?: string | null;
}

interface PaymentRow {
  id: string;
  unit_id: string;
  number: string;
  amount: number;
  method: string;
  paid_at: string;
  reference: string | null;
  notes: string | null;
  source: string;
  submission_id: string | null;
  recorded_by: string | null;
  payer_name?: string | null;
  payer_resident_id?: string | null;
  created_at: string;
}

/** An instant as stored (UTC ISO); dates mean the start of that day in the estate's zone. */
export function normalizePaidAt(value: string, zone: string, now = new Date()): string {
  const ms = parseExplicitInstant(value);
  if (!Number.isNaN(ms)) return checkPaidAt(ms, now);
  const dt = /^\d{4}-\d{2}-\d{2}$/.test(value) ? DateTime.fromISO(value, { zone }) : DateTime.fromISO(value, { setZone: true });
  if (!dt.isValid) throw new BadRequestError('VALIDATION_FAILED', 'Waktu bayar tidak sah.', 'paid_at');
  return checkPaidAt(dt.toMillis(), now);
}

function checkPaidAt(ms: number, now: Date): string {
  // Year 2000 in any zone: nothing in an estate's books is older.
  if (ms < Date.UTC(1999, 11, 31, 10)) throw new BadRequestError('VALIDATION_FAILED', 'Waktu bayar terlalu lampau.', 'paid_at');
  // A little slack for a clock that runs ahead; a payment dated days ahead is a typo.
  if (ms > now.getTime() + 24 * 3600_000) {
    throw new BadRequestError('PAID_AT_IN_FUTURE', 'Waktu bayar tidak boleh di masa depan.', 'paid_at');
  }
  return new Date(ms).toISOString();
}

async function assertUnit(store: ScopedStore, unitId: string): Promise<{ id: string; code: string }> {
  const unit = await store.find<{ id: string; code: string }>('units', unitId);
  if (!unit) throw new NotFoundError('Unit');
  return unit;
}

/**
 * Records a payment: number, allocation (oldest first or the chosen invoices), excess to credit, cash-book line,
 * audit and outbox — all in one transaction.
 */
export async function recordPayment(
  store: ScopedStore,
  input: PaymentInput,
  opts: {
    source?: 'office' | 'portal';
    submissionId?: string | null;
    /** The cash-book account the money landed in, when not the method's default (a gateway's balance). */
    cashbookAccountId?: string | null;
  } = {},
) {
  return store.transaction(async (tx) => {
    const unit = await assertUnit(tx, input.unit_id);
    // The open invoices read below must still be open when the allocations land.
    await lockUnit(tx, unit.id);
    // Heard only if this transaction commits: the unit's balance and payments on every screen showing them.
    await tx.announce('ledger', unit.id);
    const zone = await tx.timezone();
    const paidAt = normalizePaidAt(input.paid_at, zone);
    // A transfer proof names its sender, who may have been removed from the register before it was verified.
    const payer = await payerToRecord(tx, unit.id, paidAt, {
      payer_resident_id: input.payer_resident_id,
      payer_name: input.payer_name,
      includeRemovedResident: opts.source === 'portal',
    });
    const amount = rupiah(input.amount);

    for (const invoiceId of input.invoice_ids ?? []) {
      const inv = await tx.query('invoices').where('invoices.id', invoiceId).first('unit_id');
      if (!inv) throw new NotFoundError('Tagihan');
      if (inv.unit_id !== unit.id) throw new ConflictError('INVOICE_NOT_OPEN', 'Tagihan bukan milik unit ini.', 'invoice_ids');
    }
    const open = await openInvoicesOfUnit(tx, unit.id);
    let plan: ReturnType<typeof allocateToOldestInvoices>;
    try {
      plan = allocateToOldestInvoices(amount, open, input.invoice_ids);
    } catch (err) {
      if (err instanceof AllocationError)
        throw new ConflictError('INVOICE_NOT_OPEN', 'Tagihan sudah lunas atau dibatalkan.', 'invoice_ids');
      throw err;
    }

    // Everything that needs no estate-wide lock comes first. From the payment number on (its counter's row) and the
    // cash book's lock, every other payment of the estate waits for this one to commit, so what follows the number
    // is only what must: the rows, the chain head, the journal (db/README.md "Payments on PostgreSQL").
    const recordedOn = localDateOfInstant(nowIso(), zone);
    const paymentId = newId();
    const owedBefore = new Map(open.map((i) => [i.id, Number(i.outstanding)]));
    await withdrawSettledReminders(tx, {
      unitId: unit.id,
      settledInvoiceIds: plan.allocations.filter((a) => Number(a.amount) >= owedBefore.get(a.invoice_id)!).map((a) => a.invoice_id),
      unitSettled: plan.allocations.reduce((s, a) => s + Number(a.amount), 0) >= open.reduce((s, i) => s + Number(i.outstanding), 0),
    });
    await enqueueMessage(tx, {
      template: 'payment_received',
      cause: { kind: 'payment_received', id: paymentId },
      unitId: unit.id,
      unitCode: unit.code,
      vars: { jumlah: rupiahText(amount), link_kuitansi: messageLinks.receipt(tx.estateId, paymentId), link_bayar: messageLinks.bills() },
    });
    const accountId = opts.cashbookAccountId ?? (await defaultPaymentAccountId(tx, input.method));
    const site = await siteCodeOf(tx);
    const number = await mintPaymentNumber(tx, recordedOn, site);
    // The payment, its allocations and its credit in one statement (PostgreSQL checks the references at its end).
    const [[payment]] = (await tx.appendTogether([
      {
        table: 'payments',
        action: 'payments.record',
        rows: [
          {
            id: paymentId,
            unit_id: unit.id,
            number,
            amount,
            method: input.method,
            paid_at: paidAt,
            reference: input.reference ?? null,
            notes: input.notes ?? null,
            source: opts.source ?? 'office',
            submission_id: opts.submissionId ?? null,
            recorded_by: tx.actor.userId,
            ...payer,
          },
        ],
      },
      {
        table: 'payment_allocations',
        rows: allocationRows(
          plan.allocations.map((a) => ({
            unit_id: unit.id,
            invoice_id: a.invoice_id,
            payment_id: paymentId,
            amount: a.amount,
            reason: 'payment' as const,
          })),
        ),
      },
      {
        table: 'credit_movements',
        rows: creditMovementRows([{ unit_id: unit.id, amount: plan.excess, kind: 'payment_excess', payment_id: paymentId }]),
      },
    ])) as unknown as [[PaymentRow]];
    await postPaymentToCashbook(
      tx,
      {
        payment_id: payment.id,
        payment_number: payment.number,
        unit_code: unit.code,
        amount,
        method: input.method,
        paid_at: paidAt,
        recorded_by: tx.actor.userId,
        account_id: accountId,
      },
      { newPayment: true },
    );
    // The same shape serializePayment reads back, built from what was just written: a new payment has no reversal
    // and no proof, its allocations are the plan's and its credit is the plan's excess.
    const invoiceById = new Map(open.map((i) => [i.id, i]));
    return {
      ...paymentFields(payment, unit.code),
      status: 'recorded' as const,
      reversal: null,
      allocations: plan.allocations
        .map((a) => ({
          invoice_id: a.invoice_id,
          invoice_number: invoiceById.get(a.invoice_id)!.number,
          period: invoiceById.get(a.invoice_id)!.period,
          amount: Number(a.amount),
        }))
        .sort((a, b) => (a.period + a.invoice_number < b.period + b.invoice_number ? -1 : 1)),
      credit: Number(plan.excess),
      proof: null,
    };
  });
}

export function paymentFields(payment: PaymentRow, unitCode: string | null) {
  return {
    id: payment.id,
    payment_number: payment.number,
    unit_id: payment.unit_id,
    unit_code: unitCode,
    amount: Number(payment.amount),
    method: payment.method,
    paid_at: payment.paid_at,
    reference: payment.reference,
    notes: payment.notes,
    source: payment.source,
    recorded_by: payment.recorded_by,
    payer_name: payment.payer_name ?? null,
    payer_resident_id: payment.payer_resident_id ?? null,
    created_at: payment.created_at,
  };
}

/**
 * Undoes a payment with a reason: its allocations are reversed, what it left in credit leaves again (clawing back
 * credit already spent on later invoices), and the cash book gets a reversing line. The payment row itself stays.
 */
export async function reversePayment(store: ScopedStore, paymentId: string, reason: string) {
  return store.transaction(async (tx) => {
    const payment = await getRecord<PaymentRow>(tx, 'payments', paymentId, 'Pembayaran');
    await lockUnit(tx, payment.unit_id);
    await tx.announce('ledger', payment.unit_id);
    const already = await tx.query('payment_reversals').where('payment_id', payment.id).first();
    if (already) throw new ConflictError('ALREADY_REVERSED', 'Pembayaran ini sudah dibatalkan.');
    const own = await liveAllocations(tx, { paymentId: payment.id });
    let plan: ReturnType<typeof planPaymentReversal>;
    try {
      plan = planPaymentReversal({
        amount: rupiah(Number(payment.amount)),
        paymentAllocations: own,
        creditBalance: await creditOfUnit(tx, payment.unit_id),
        creditAllocations: await liveAllocations(tx, { unitId: payment.unit_id, creditFunded: true }),
      });
    } catch (err) {
      if (err instanceof AllocationError) {
        throw new ConflictError(
          'CREDIT_REFUNDED',
          'Saldo titipan dari pembayaran ini sudah dikembalikan; pembatalan tidak bisa dilakukan.',
        );
      }
      throw err;
    }
    const reversal = await tx.appendOnly(
      'payment_reversals',
      { payment_id: payment.id, reason, created_by: tx.actor.userId },
      'payments.reverse',
    );
    await appendAllocations(tx, [
      ...plan.reverse.map((a) => ({
        unit_id: payment.unit_id,
        invoice_id: a.invoice_id,
        payment_id: payment.id,
        amount: -a.amount,
        reason: 'payment_reversal' as const,
        reverses_allocation_id: a.allocation_id,
      })),
      ...plan.clawback.map((a) => ({
        unit_id: payment.unit_id,
        invoice_id: a.invoice_id,
        payment_id: null,
        amount: -a.amount,
        reason: 'clawback' as const,
        reverses_allocation_id: a.allocation_id,
      })),
    ]);
    await appendCreditMovements(tx, [
      ...plan.clawback.map((a) => ({
        unit_id: payment.unit_id,
        amount: a.amount,
        kind: 'clawback' as const,
        invoice_id: a.invoice_id,
        payment_id: payment.id,
      })),
      { unit_id: payment.unit_id, amount: -plan.creditRemoved, kind: 'payment_reversal', payment_id: payment.id },
    ]);
    const codes = await unitCodes(tx, [payment.unit_id]);
    await postPaymentReversal(tx, {
      payment_id: payment.id,
      payment_number: payment.number,
      unit_code: codes.get(payment.unit_id) ?? '',
      reversed_at: reversal.created_at as string,
      recorded_by: tx.actor.userId,
      reason,
    });
    return serializePayment(tx, payment);
  });
}

/** Pays a unit's credit (saldo titipan) back to the resident: a credit movement out and a cash-book line out. */
export async function refundCredit(
  store: ScopedStore,
  unitId: string,
  input: { amount: number; method: PaymentMethod; reason?: string | null },
) {
  return store.transaction(async (tx) => {
    const unit = await assertUnit(tx, unitId);
    await lockUnit(tx, unit.id);
    await tx.announce('ledger', unit.id);
    const credit = await creditOfUnit(tx, unit.id);
    if (input.amount > credit) {
      throw new ConflictError('INSUFFICIENT_CREDIT', `Saldo titipan unit ini hanya ${credit}.`, 'amount');
    }
    const refund = await tx.appendOnly(
      'credit_refunds',
      {
        unit_id: unit.id,
        amount: input.amount,
        method: input.method,
        reason: input.reason ?? null,
        refunded_at: nowIso(),
        created_by: tx.actor.userId,
      },
      'credit.refund',
    );
    await appendCreditMovements(tx, [{ unit_id: unit.id, amount: -input.amount, kind: 'refund', refund_id: refund.id as string }]);
    await postCreditRefund(tx, {
      refund_id: refund.id as string,
      unit_code: unit.code,
      amount: input.amount,
      method: input.method,
      refunded_at: refund.refunded_at as string,
      recorded_by: tx.actor.userId,
      description: input.reason ?? null,
    });
    return {
      refund: {
        id: refund.id,
        unit_id: unit.id,
        amount: input.amount,
        method: input.method,
        reason: input.reason ?? null,
        refunded_at: refund.refunded_at,
      },
      balance: await unitBalance(tx, unit.id),
    };
  });
}

export async function unitBalance(store: ScopedStore, unitId: string): Promise<{ unit_id: string; outstanding: Rupiah; credit: Rupiah }> {
  await assertUnit(store, unitId);
  return { unit_id: unitId, outstanding: await outstandingOfUnit(store, unitId), credit: await creditOfUnit(store, unitId) };
}

export async function serializePayment(store: ScopedStore, payment: PaymentRow) {
  // One query after another: inside a transaction PostgreSQL serves one query at a time on its connection.
  const allocRows = await store
    .query('payment_allocations')
    .join('invoices', 'invoices.id', 'payment_allocations.invoice_id')
    .where('payment_allocations.payment_id', payment.id)
    .groupBy('payment_allocations.invoice_id', 'invoices.number', 'invoices.period')
    .select('payment_allocations.invoice_id', 'invoices.number', 'invoices.period')
    .sum({ amount: 'payment_allocations.amount' });
  const reversal = await store.query('payment_reversals').where('payment_id', payment.id).first();
  const creditRows = await store
    .query('credit_movements')
    .where({ payment_id: payment.id, kind: 'payment_excess' })
    .sum({ s: 'amount' })
    .first();
  const codes = await unitCodes(store, [payment.unit_id]);
  const proof = await store
    .query('payment_proofs')
    .where({ owner_table: 'payments', owner_id: payment.id })
    .first('id', 'filename', 'mime', 'size');
  const allocations = allocRows
    .map((r: Record<string, unknown>) => ({
      invoice_id: r.invoice_id as string,
      invoice_number: r.number as string,
      period: r.period as string,
      amount: Number(r.amount),
    }))
    .filter((a: { amount: number }) => a.amount > 0 || !reversal)
    .sort((a: { period: string; invoice_number: string }, b: { period: string; invoice_number: string }) =>
      a.period + a.invoice_number < b.period + b.invoice_number ? -1 : 1,
    );
  return {
    ...paymentFields(payment, codes.get(payment.unit_id) ?? null),
    status: reversal ? ('reversed' as const) : ('recorded' as const),
    reversal: reversal
      ? { reason: reversal.reason as string, reversed_at: reversal.created_at as string, reversed_by: reversal.created_by as string | null }
      : null,
    allocations,
    credit: Number(creditRows?.s ?? 0),
    proof: proof ? { id: proof.id, filename: proof.filename, mime: proof.mime, size: Number(proof.size) } : null,
  };
}

export async function getPayment(store: ScopedStore, id: string) {
  return serializePayment(store, await getRecord<PaymentRow>(store, 'payments', id, 'Pembayaran'));
}

export async function listPayments(store: ScopedStore, q: { unit_id?: string; limit: number; offset: number }) {
  if (q.unit_id) await assertUnit(store, q.unit_id);
  const base = store.query('payments');
  if (q.unit_id) base.where('payments.unit_id', q.unit_id);
  const [{ n }] = await base.clone().count({ n: '*' });
  const rows = (await base
    .orderBy([
      { column: 'paid_at', order: 'desc' },
      { column: 'id', order: 'desc' },
    ])
    .limit(q.limit)
    .offset(q.offset)) as PaymentRow[];
  const items = [];
  for (const row of rows) items.push(await serializePayment(store, row));
  return { items, total: Number(n), limit: q.limit, offset: q.offset };
}
