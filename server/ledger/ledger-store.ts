import type { Knex } from 'knex';
import type { ScopedStore } from '../db/scoped-store.ts';
import { rupiah, type Rupiah } from '../money/rupiah.ts';
import type { LiveAllocation, OpenInvoice } from './allocation.ts';
import { queryTemplate } from '../db/query-template.ts';

/**
 * Balances derived from the append-only rows: what an invoice still owes, what a unit owes in total, and its
 * credit. PostgreSQL returns bigint sums as strings, hence the Number() around every aggregate.
 */
export type InvoiceStatus = 'unpaid' | 'partial' | 'paid' | 'void';

export interface InvoiceBalanceRow {
  id: string;
  unit_id: string;
  number: string;
  period: string;
  kind: string;
  issue_date: string;
  due_date: string;
  total: number;
  paid: number;
  credited: number;
  outstanding: number;
  status: InvoiceStatus;
  void_reason: string | null;
  voided_at: string | null;
  billing_run_id: string | null;
  charge_id: string | null;
  created_at: string;
}

/** Invoices with their derived paid/credited/outstanding/status, filtered by `where` on alias `i`. */
export function invoiceBalancesQuery(store: Pick<ScopedStore, 'knex' | 'estateId'>, where?: (q: Knex.QueryBuilder) => void): Knex.QueryBuilder {
  const k = store.knex;
  const paid = k('payment_allocations as pa')
    .whereRaw('pa.estate_id = i.estate_id and pa.invoice_id = i.id')
    .select(k.raw('coalesce(sum(pa.amount), 0)'));
  const credited = k('invoice_adjustments as ad')
    .whereRaw("ad.estate_id = i.estate_id and ad.invoice_id = i.id and ad.kind = 'credit_note'")
    .select(k.raw('coalesce(sum(ad.amount), 0)'));
  const voidReason = k('invoice_adjustments as av')
    .whereRaw("av.estate_id = i.estate_id and av.invoice_id = i.id and av.kind = 'void'")
    .select('av.reason');
  const voidedAt = k('invoice_adjustments as aw')
    .whereRaw("aw.estate_id = i.estate_id and aw.invoice_id = i.id and aw.kind = 'void'")
    .select('aw.created_at');
  const inner = k('invoices as i')
    .where('i.estate_id', store.estateId)
    .select(
      'i.id', 'i.unit_id', 'i.number', 'i.period', 'i.kind', 'i.issue_date', 'i.due_date', 'i.total',
      'i.billing_run_id', 'i.charge_id', 'i.created_at',
      paid.as('paid'), credited.as('credited'), voidReason.as('void_reason'), voidedAt.as('voided_at'),
    );
  if (where) where(inner);
  return k.select('*').from(inner.as('b'));
}

export function toInvoiceBalance(row: Record<string, unknown>): InvoiceBalanceRow {
  const total = Number(row.total);
  const paid = Number(row.paid);
  const credited = Number(row.credited);
  const voided = row.voided_at != null;
  const outstanding = voided ? 0 : total - credited - paid;
  let status: InvoiceStatus;
  if (voided) status = 'void';
  else if (outstanding <= 0) status = 'paid';
  else if (paid > 0 || credited > 0) status = 'partial';
  else status = 'unpaid';
  return {
    id: row.id as string,
    unit_id: row.unit_id as string,
    number: row.number as string,
    period: row.period as string,
    kind: row.kind as string,
    issue_date: row.issue_date as string,
    due_date: row.due_date as string,
    total,
    paid,
    credited,
    outstanding,
    status,
    void_reason: (row.void_reason as string | null) ?? null,
    voided_at: (row.voided_at as string | null) ?? null,
    billing_run_id: (row.billing_run_id as string | null) ?? null,
    charge_id: (row.charge_id as string | null) ?? null,
    created_at: row.created_at as string,
  };
}

const invoicesOfUnitQuery = queryTemplate<'estateId' | 'unitId'>((knex, p) =>
  invoiceBalancesQuery({ knex, estateId: p.estateId }, (q) => q.where('i.unit_id', p.unitId)).orderBy([{ column: 'period' }, { column: 'number' }]),
);

/** A unit's invoices that still owe something, oldest first (period, then number). */
export async function openInvoicesOfUnit(store: ScopedStore, unitId: string): Promise<Array<OpenInvoice & InvoiceBalanceRow>> {
  const rows = await invoicesOfUnitQuery(store.knex, { estateId: store.estateId, unitId });
  return rows
    .map(toInvoiceBalance)
    .filter((r) => r.outstanding > 0)
    .map((r) => ({ ...r, sort_key: `${r.period}|${r.number}`, outstanding: rupiah(r.outstanding) }));
}

const creditOfUnitQuery = queryTemplate<'estateId' | 'unitId'>((knex, p) =>
  knex('credit_movements').where({ estate_id: p.estateId, unit_id: p.unitId }).sum({ s: 'amount' }),
);

export async function creditOfUnit(store: ScopedStore, unitId: string): Promise<Rupiah> {
  const [row] = await creditOfUnitQuery<{ s: unknown }>(store.knex, { estateId: store.estateId, unitId });
  return rupiah(Number(row?.s ?? 0));
}

/** Credit of every unit that has any, for applying it to a billing run's new invoices. */
export async function creditsByUnit(store: ScopedStore): Promise<Map<string, number>> {
  const rows = await store
    .query('credit_movements')
    .groupBy('unit_id')
    .select('unit_id')
    .sum({ s: 'amount' })
    .havingRaw('sum(amount) > 0');
  return new Map(rows.map((r: { unit_id: string; s: unknown }) => [r.unit_id, Number(r.s)]));
}

export async function outstandingOfUnit(store: ScopedStore, unitId: string): Promise<Rupiah> {
  const open = await openInvoicesOfUnit(store, unitId);
  return rupiah(open.reduce((s, i) => s + i.outstanding, 0));
}

/**
 * Allocations still in force, netted per original row: a payment's (paymentId) or the credit-funded ones of a
 * unit (paymentId null). The id returned is the original row's, which a reversing row points at.
 */
export async function liveAllocations(
  store: ScopedStore,
  filter: { paymentId: string } | { unitId: string; creditFunded: true } | { invoiceId: string },
): Promise<Array<LiveAllocation & { payment_id: string | null }>> {
  const q = store.query('payment_allocations');
  if ('paymentId' in filter) q.where('payment_id', filter.paymentId);
  else if ('invoiceId' in filter) q.where('invoice_id', filter.invoiceId);
  else q.where('unit_id', filter.unitId).whereNull('payment_id');
  const rows = await q.select('id', 'invoice_id', 'payment_id', 'amount', 'reverses_allocation_id').orderBy('id');
  const byOriginal = new Map<string, LiveAllocation & { payment_id: string | null }>();
  for (const r of rows) {
    const original = (r.reverses_allocation_id as string | null) ?? (r.id as string);
    const prev = byOriginal.get(original);
    if (prev) prev.amount = rupiah(prev.amount + Number(r.amount));
    else byOriginal.set(original, { allocation_id: original, invoice_id: r.invoice_id, payment_id: r.payment_id, amount: rupiah(Number(r.amount)) });
  }
  return [...byOriginal.values()].filter((a) => a.amount > 0);
}
