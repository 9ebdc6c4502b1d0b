import type { ScopedStore } from '../db/scoped-store.ts';
import type { ArrearsUnit } from './arrears-matrix.ts';
import type { InvoiceFact } from './invoice-facts.ts';
import { invoiceSumsInPeriods, overflowByUnit, overflowOfUnit } from '../ledger/index.ts';
import type { MonthlyAccount, MonthlyEntry } from './monthly-report.ts';

/**
 * The queries behind reports and the dashboard: flat rows, one aggregate per table, merged in JS. No correlated
 * subqueries per invoice, so a year of 10,000 units stays a handful of index scans. PostgreSQL returns bigint sums
 * as strings, hence Number() on every aggregate.
 */
export async function invoiceFacts(store: ScopedStore, range: { from?: string; to?: string } = {}): Promise<InvoiceFact[]> {
  return invoiceSumsInPeriods(store, range);
}

/**
 * Live units in natural order (A-2 before A-10) with the name of one current resident (an owner before a tenant),
 * and tombstoned units marked as such (reports keep them only where they were billed).
 */
export async function reportUnits(store: ScopedStore): Promise<ArrearsUnit[]> {
  const [units, occupants] = await Promise.all([
    store.query('units').select('id', 'code', 'sort_key', 'deleted_at').orderBy('sort_key'),
    store
      .query('unit_occupancies')
      .join('residents', 'residents.id', 'unit_occupancies.resident_id')
      .whereNull('unit_occupancies.deleted_at')
      .whereNull('unit_occupancies.moved_out_on')
      .select('unit_occupancies.unit_id', 'unit_occupancies.relation', 'residents.name', 'residents.phone'),
  ]);
  const residentOf = new Map<string, { name: string; phone: string | null; owner: boolean }>();
  for (const o of occupants as any[]) {
    const owner = o.relation === 'owner';
    const prev = residentOf.get(o.unit_id);
    if (!prev || (owner && !prev.owner)) residentOf.set(o.unit_id, { name: o.name, phone: o.phone ?? null, owner });
  }
  return (units as any[]).map((u) => ({
    id: u.id,
    code: u.code,
    resident: residentOf.get(u.id)?.name ?? null,
    phone: residentOf.get(u.id)?.phone ?? null,
    deleted: u.deleted_at != null,
  }));
}

export async function cashbookAccounts(store: ScopedStore): Promise<MonthlyAccount[]> {
  return store
    .query('cashbook_accounts')
    .whereNull('deleted_at')
    .select('id', 'name', 'kind')
    .orderBy([{ column: 'kind' }, { column: 'name' }]);
}

export async function cashbookEntriesUpTo(store: ScopedStore, to: string): Promise<MonthlyEntry[]> {
  const rows = await store
    .query('cashbook_entries')
    .where('entry_date', '<=', to)
    .select('account_id', 'direction', 'amount', 'category', 'entry_date', 'description', 'seq');
  return rows.map((r: any) => ({ ...r, amount: Number(r.amount), seq: Number(r.seq) }));
}

/** The estate's own cash-book categories, code → the name the treasurer typed (removed ones too: old entries use them). */
export async function ownCategoryNames(store: ScopedStore): Promise<Map<string, string>> {
  const rows = await store.query('cashbook_categories').select('code', 'name');
  return new Map(rows.map((r: any) => [r.code as string, r.name as string]));
}

export async function unitPayments(store: ScopedStore, unitId: string) {
  const [payments, allocations, reversals] = await Promise.all([
    store.query('payments').where('unit_id', unitId).select('id', 'number', 'amount', 'method', 'paid_at', 'reference', 'source'),
    store
      .query('payment_allocations')
      .join('invoices', 'invoices.id', 'payment_allocations.invoice_id')
      .where('payment_allocations.unit_id', unitId)
      .whereNotNull('payment_allocations.payment_id')
      .select('payment_allocations.payment_id', 'payment_allocations.amount', 'invoices.number as invoice_number', 'invoices.period'),
    store
      .query('payment_reversals')
      .join('payments', 'payments.id', 'payment_reversals.payment_id')
      .where('payments.unit_id', unitId)
      .select('payment_reversals.payment_id', 'payment_reversals.reason', 'payment_reversals.created_at'),
  ]);
  return {
    payments: payments.map((p: any) => ({ ...p, amount: Number(p.amount) })),
    allocations: allocations.map((a: any) => ({ ...a, amount: Number(a.amount) })),
    reversals,
  };
}

export async function unitCredit(store: ScopedStore, unitId: string): Promise<number> {
  const row = await store.query('credit_movements').where('unit_id', unitId).sum({ s: 'amount' }).first();
  return Number(row?.s ?? 0) + (await overflowOfUnit(store, unitId));
}

/** Credit held per unit (saldo titipan), for the dashboard's total. */
export async function totalCredit(store: ScopedStore): Promise<number> {
  const row = await store.query('credit_movements').sum({ s: 'amount' }).first();
  let overflow = 0;
  for (const amount of (await overflowByUnit(store)).values()) overflow += amount;
  return Number(row?.s ?? 0) + overflow;
}

export async function pendingSubmissions(store: ScopedStore): Promise<number> {
  const row = await store.query('payment_submissions').where('status', 'pending').whereNull('deleted_at').count({ n: '*' }).first();
  return Number(row?.n ?? 0);
}
