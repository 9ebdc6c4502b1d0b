import type { ScopedStore } from '../db/scoped-store.ts';
import { rupiah, type Rupiah } from '../money/rupiah.ts';
import type { LiveAllocation, OpenInvoice } from './allocation.ts';
import { queryTemplate } from '../db/query-template.ts';
import { invoiceBalancesQuery, overflowByUnit, overflowOfUnit, toInvoiceBalance, type InvoiceBalanceRow } from './invoice-balance.ts';

/**
 * A unit's balances derived from the append-only rows: what it owes in total (per invoice by invoice-balance.ts's
 * rule) and its credit. PostgreSQL returns bigint sums as strings, hence the Number() around every aggregate.
 */

const invoicesOfUnitQuery = queryTemplate<'estateId' | 'unitId'>((knex, p) =>
  invoiceBalancesQuery({ knex, estateId: p.estateId }, (q) => q.where('i.unit_id', p.unitId)).orderBy([
    { column: 'period' },
    { column: 'number' },
  ]),
);

/** A unit's invoices that still owe something, oldest first (period, then number). */
export async function openInvoicesOfUnit(store: ScopedStore, unitId: string): Promise<Array<OpenInvoice & InvoiceBalanceRow>> {
  const rows = await store.select(invoicesOfUnitQuery, { unitId });
  return rows
    .map(toInvoiceBalance)
    .filter((r) => r.outstanding > 0)
    .map((r) => ({ ...r, sort_key: `${r.period}|${r.number}`, outstanding: rupiah(r.outstanding) }));
}

const creditOfUnitQuery = queryTemplate<'estateId' | 'unitId'>((knex, p) =>
  knex('credit_movements').where({ estate_id: p.estateId, unit_id: p.unitId }).sum({ s: 'amount' }),
);

/** The unit's credit: its credit movements and what its invoices hold beyond what they bill (invoice-balance.ts). */
export async function creditOfUnit(store: ScopedStore, unitId: string): Promise<Rupiah> {
  const [row] = await store.select<{ s: unknown }>(creditOfUnitQuery, { unitId });
  return rupiah(Number(row?.s ?? 0) + (await overflowOfUnit(store, unitId)));
}

/** Credit of every unit that has any, for applying it to a billing run's new invoices. */
export async function creditsByUnit(store: ScopedStore): Promise<Map<string, number>> {
  const rows = await store.query('credit_movements').groupBy('unit_id').select('unit_id').sum({ s: 'amount' });
  const credit = await overflowByUnit(store);
  for (const r of rows as { unit_id: string; s: unknown }[]) credit.set(r.unit_id, (credit.get(r.unit_id) ?? 0) + Number(r.s));
  return new Map([...credit].filter(([, amount]) => amount > 0));
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
    else
      byOriginal.set(original, {
        allocation_id: original,
        invoice_id: r.invoice_id,
        payment_id: r.payment_id,
        amount: rupiah(Number(r.amount)),
      });
  }
  return [...byOriginal.values()].filter((a) => a.amount > 0);
}
