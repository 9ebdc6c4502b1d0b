import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';
import { rupiah } from '../money/rupiah.ts';
import { appendAllocations, appendCreditMovements, appendRows } from './ledger-rows.ts';
import { liveAllocations } from './ledger-store.ts';
import { invoiceBalancesQuery, isOverdue, toInvoiceBalance, type InvoiceStatus } from './invoice-balance.ts';
import { getRecord, unitCodes } from './records.ts';
import { lockUnit } from './row-lock.ts';
import { applyCreditToNewInvoices } from './billing-run.ts';
import { deterministicId } from './deterministic-id.ts';
import { mintInvoiceNumbers } from './number-minting.ts';
import { estateToday, localDateOfInstant, type Period } from '../calendar/calendar.ts';
import { searchUnits } from '../units/index.ts';

/** Reading invoices with their derived status, voiding them, credit notes, and one-off charges. */
export interface InvoiceQuery {
  unit_id?: string;
  period?: string;
  status?: InvoiceStatus;
  /** A unit code in any spelling ("a12", "A-12", "12") or a current resident's name, as the unit search reads it. */
  q?: string;
  /** Only invoices that still owe something after their due date (the estate's today). */
  overdue?: boolean;
  limit: number;
  offset: number;
}

// Every unit a prefix matches in an estate of the sizes the product is built for (the budget is 10,000 units), so a
// short prefix ("a") still lists every matching unit's invoices; each search branch stops at this many index entries.
const SEARCH_UNITS = 10_000;

export async function listInvoices(store: ScopedStore, q: InvoiceQuery) {
  if (q.unit_id && !(await store.find('units', q.unit_id, { includeDeleted: true }))) throw new NotFoundError('Unit');
  const searched = q.q?.trim() ? (await searchUnits(store, { q: q.q, limit: SEARCH_UNITS, gate: false })).map((u) => u.id) : null;
  const today = estateToday(await store.timezone());
  const base = invoiceBalancesQuery(store, (iq) => {
    if (q.unit_id) iq.where('i.unit_id', q.unit_id);
    if (q.period) iq.where('i.period', q.period);
    if (searched) iq.whereIn('i.unit_id', searched);
  });
  // Filtered on the derived status column in SQL, so paging and filtering agree.
  const filtered = store.knex.select('*').from(base.as('f'));
  if (q.status) filtered.where('status', q.status);
  if (q.overdue) filtered.where('due_date', '<', today).where('outstanding', '>', 0);
  const [{ n }] = await filtered.clone().clearSelect().count({ n: '*' });
  const rows = (await filtered
    .orderBy([
      { column: 'period', order: 'desc' },
      { column: 'number', order: 'asc' },
    ])
    .limit(q.limit)
    .offset(q.offset)) as Record<string, unknown>[];
  const codes = await unitCodes(
    store,
    rows.map((r) => r.unit_id as string),
  );
  return {
    items: rows.map((r) => {
      const inv = toInvoiceBalance(r);
      return { ...inv, unit_code: codes.get(inv.unit_id) ?? null, overdue: isOverdue(inv, today) };
    }),
    total: Number(n),
    limit: q.limit,
    offset: q.offset,
  };
}

export async function getInvoice(store: ScopedStore, id: string) {
  await getRecord(store, 'invoices', id, 'Tagihan');
  const [row] = (await invoiceBalancesQuery(store, (q) => q.where('i.id', id))) as Record<string, unknown>[];
  const inv = toInvoiceBalance(row);
  const today = estateToday(await store.timezone());
  // Sequential: this also runs inside transactions, where a PostgreSQL connection serves one query at a time.
  const lines = await store
    .query('invoice_lines')
    .where('invoice_id', id)
    .orderBy('id')
    .select('id', 'fee_type_id', 'source_invoice_id', 'description', 'quantity', 'unit_amount', 'amount');
  const allocations = await store
    .query('payment_allocations')
    .leftJoin('payments', 'payments.id', 'payment_allocations.payment_id')
    .leftJoin('receipts', (j) =>
      j.on('receipts.payment_id', '=', 'payment_allocations.payment_id').andOn('receipts.estate_id', '=', 'payment_allocations.estate_id'),
    )
    .where('payment_allocations.invoice_id', id)
    .orderBy('payment_allocations.id')
    .select(
      'payment_allocations.id',
      'payment_allocations.payment_id',
      'payments.number as payment_number',
      'receipts.receipt_number',
      'payment_allocations.amount',
      'payment_allocations.reason',
      'payment_allocations.created_at',
    );
  const adjustments = await store
    .query('invoice_adjustments')
    .where('invoice_id', id)
    .orderBy('id')
    .select('id', 'kind', 'amount', 'reason', 'created_by', 'created_at');
  const codes = await unitCodes(store, [inv.unit_id]);
  const num = (rows: Record<string, unknown>[], keys: string[]) =>
    rows.map((r) => ({ ...r, ...Object.fromEntries(keys.map((k) => [k, Number(r[k])])) }));
  return {
    ...inv,
    unit_code: codes.get(inv.unit_id) ?? null,
    overdue: isOverdue(inv, today),
    lines: num(lines, ['unit_amount', 'amount']),
    allocations: num(allocations, ['amount']),
    adjustments: num(adjustments, ['amount']),
  };
}

/**
 * Voids an invoice with a reason. Money already allocated to it is not lost: it returns to the unit's credit,
 * from where it pays the next invoice or is refunded.
 */
export async function voidInvoice(store: ScopedStore, id: string, reason: string) {
  return store.transaction(async (tx) => {
    const inv = await getRecord<{ id: string; unit_id: string }>(tx, 'invoices', id, 'Tagihan');
    // The allocations released below must be the ones in force when the void lands, and only one void may land.
    await lockUnit(tx, inv.unit_id);
    const already = await tx.query('invoice_adjustments').where({ invoice_id: id, kind: 'void' }).first('id');
    if (already) throw new ConflictError('ALREADY_VOID', 'Tagihan ini sudah dibatalkan.');
    await tx.appendOnly(
      'invoice_adjustments',
      { invoice_id: id, kind: 'void', amount: 0, reason, created_by: tx.actor.userId },
      'invoices.void',
    );
    const live = await liveAllocations(tx, { invoiceId: id });
    await appendAllocations(
      tx,
      live.map((a) => ({
        unit_id: inv.unit_id,
        invoice_id: id,
        payment_id: a.payment_id,
        amount: -a.amount,
        reason: 'void' as const,
        reverses_allocation_id: a.allocation_id,
      })),
    );
    await appendCreditMovements(
      tx,
      live.map((a) => ({
        unit_id: inv.unit_id,
        amount: a.amount,
        kind: 'void_release' as const,
        invoice_id: id,
        payment_id: a.payment_id,
      })),
    );
    // Released money pays the unit's other open invoices first, as any credit would.
    await applyCreditToNewInvoices(tx, [inv.unit_id]);
    return getInvoice(tx, id);
  });
}

/** A credit note lowers what an invoice asks for (a discount granted after issue); never below what is owed. */
export async function creditNote(store: ScopedStore, id: string, input: { amount: number; reason: string }) {
  return store.transaction(async (tx) => {
    const found = await getRecord<{ unit_id: string }>(tx, 'invoices', id, 'Tagihan');
    // What the invoice still owes must not change between the check below and the note.
    await lockUnit(tx, found.unit_id);
    const [row] = (await invoiceBalancesQuery(tx, (q) => q.where('i.id', id))) as Record<string, unknown>[];
    const inv = toInvoiceBalance(row);
    if (inv.status === 'void') throw new ConflictError('INVOICE_VOID', 'Tagihan ini sudah dibatalkan.');
    if (input.amount > inv.outstanding) {
      throw new ConflictError('CREDIT_NOTE_TOO_LARGE', `Nota kredit melebihi sisa tagihan (${inv.outstanding}).`, 'amount');
    }
    await tx.appendOnly(
      'invoice_adjustments',
      { invoice_id: id, kind: 'credit_note', amount: rupiah(input.amount), reason: input.reason, created_by: tx.actor.userId },
      'invoices.credit_note',
    );
    return getInvoice(tx, id);
  });
}

/**
 * A one-off charge (the 17 Agustus contribution, a repair levy) for all units or the chosen ones: one invoice per
 * unit, identity (charge, unit), numbered in the period's invoice series.
 */
export async function createCharge(
  store: ScopedStore,
  input: { name: string; amount: number; period: Period; due_date: string; unit_ids?: string[] | null },
) {
  return store.transaction(async (tx) => {
    let unitIds: string[];
    if (input.unit_ids && input.unit_ids.length) {
      unitIds = [...new Set(input.unit_ids)];
      const found = await tx.live('units').whereIn('units.id', unitIds).select('id');
      if (found.length !== unitIds.length) throw new NotFoundError('Unit');
    } else {
      unitIds = (await tx.live('units').orderBy('units.code').select('id')).map((r: { id: string }) => r.id);
    }
    if (!unitIds.length) throw new ConflictError('NO_UNITS', 'Belum ada unit untuk ditagih.');
    const charge = await tx.appendOnly(
      'charges',
      {
        name: input.name,
        amount: rupiah(input.amount),
        period: input.period,
        due_date: input.due_date,
        unit_count: unitIds.length,
        created_by: tx.actor.userId,
      },
      'charges.create',
    );
    const numbers = await mintInvoiceNumbers(tx, input.period, unitIds.length);
    const today = localDateOfInstant(nowIso(), await tx.timezone());
    const invoices = unitIds.map((unitId, i) => ({
      id: deterministicId('invoice', tx.estateId, unitId, charge.id as string, 'charge'),
      unit_id: unitId,
      number: numbers[i],
      period: input.period,
      kind: 'charge',
      identity_key: `charge:${charge.id}:${unitId}`,
      issue_date: today,
      due_date: input.due_date,
      total: input.amount,
      billing_run_id: null,
      charge_id: charge.id,
      created_by: tx.actor.userId,
    }));
    await appendRows(tx, 'invoices', invoices);
    await appendRows(
      tx,
      'invoice_lines',
      invoices.map((inv) => ({
        invoice_id: inv.id,
        fee_type_id: null,
        fee_rate_id: null,
        source_invoice_id: null,
        description: input.name,
        quantity: '1',
        unit_amount: input.amount,
        amount: input.amount,
      })),
    );
    const creditApplied = await applyCreditToNewInvoices(tx, unitIds);
    return {
      id: charge.id,
      name: input.name,
      amount: input.amount,
      period: input.period,
      due_date: input.due_date,
      unit_count: unitIds.length,
      total_amount: input.amount * unitIds.length,
      credit_applied: creditApplied,
      invoice_ids: invoices.map((i) => i.id),
    };
  });
}

export async function listBillingRuns(store: ScopedStore, q: { period?: string; limit: number; offset: number }) {
  const base = store.query('billing_runs');
  if (q.period) base.where('billing_runs.period', q.period);
  const rows = await base.orderBy('id', 'desc').limit(q.limit).offset(q.offset);
  return { items: rows.map(serializeRun) };
}

export function serializeRun(r: Record<string, unknown>) {
  const { estate_id: _e, ...rest } = r;
  return {
    ...rest,
    processed_units: Number(r.invoices_created),
    total_amount: Number(r.total_amount),
    credit_applied: Number(r.credit_applied),
  };
}
