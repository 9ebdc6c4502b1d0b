import type { Knex } from 'knex';
import type { ScopedStore } from '../db/scoped-store.ts';

/**
 * The one rule for what an invoice still owes and its status, derived from the append-only rows:
 *
 *   allocated   = sum of its allocations (a reversal or a void appends negative rows, so this is what is in force)
 *   credited    = sum of its credit notes
 *   voided      = a void adjustment exists; a voided invoice owes nothing and bills nothing
 *   billed      = voided ? 0 : total − credited
 *   overflow    = max(0, allocated − max(0, billed)): money allocated beyond what the invoice bills
 *   paid        = allocated − overflow
 *   outstanding = voided ? 0 : max(0, total − credited − paid)
 *   status      = void | paid (nothing outstanding) | partial (something paid or credited) | unpaid
 *
 * One site never allocates beyond what an invoice owes, but two sites apart can: the office takes cash for an
 * invoice while the same invoice is paid online on the hosted instance. Sync keeps both payments (money rows are a
 * union), so the invoice holds more allocations than it bills. That overflow is the unit's credit (saldo titipan),
 * derived here from the facts rather than written as new rows, so every site holding the same facts shows the same
 * balance whatever order they arrived in, and a later reversal of either payment moves it back by itself. Which
 * payment the overflow belongs to follows the allocations' ids (`overflowByAllocation`): the later ids are the
 * excess. server/sync/README.md describes the rule.
 *
 * Each branch is written once below with its SQL and its JS side by side, so the invoice list's status filter
 * (SQL, for paging), the API's rows and the reports (JS over bulk sums) cannot drift apart. Whether an invoice is
 * overdue is not a status: it is `isOverdue` against the estate's today from calendar/calendar.ts.
 */
export type InvoiceStatus = 'unpaid' | 'partial' | 'paid' | 'void';

export interface InvoiceSums {
  total: number;
  paid: number;
  credited: number;
  voided: boolean;
}

const OWED = (a: string) => `${a}.total - ${a}.credited - ${a}.paid`;

const STATUS_RULE: Array<{ status: InvoiceStatus; sql: (a: string) => string; holds: (s: InvoiceSums) => boolean }> = [
  { status: 'void', sql: (a) => `${a}.voided_at is not null`, holds: (s) => s.voided },
  { status: 'paid', sql: (a) => `${OWED(a)} <= 0`, holds: (s) => s.total - s.credited - s.paid <= 0 },
  { status: 'partial', sql: (a) => `${a}.paid > 0 or ${a}.credited > 0`, holds: (s) => s.paid > 0 || s.credited > 0 },
];
const FALLBACK_STATUS: InvoiceStatus = 'unpaid';

/** Allocated beyond what the invoice bills (`s.paid` is the allocated sum): the unit's credit, not the invoice's. */
export function overflowOf(s: InvoiceSums): number {
  return Math.max(0, s.paid - Math.max(0, billedOf(s)));
}

/** What is paid against the invoice: its allocations up to what it bills. */
export function paidOf(s: InvoiceSums): number {
  return s.paid - overflowOf(s);
}

export function statusOf(s: InvoiceSums): InvoiceStatus {
  return STATUS_RULE.find((r) => r.holds(s))?.status ?? FALLBACK_STATUS;
}

export function outstandingOf(s: InvoiceSums): number {
  return s.voided ? 0 : Math.max(0, s.total - s.credited - s.paid);
}

/** What the invoice bills after credit notes; a voided invoice bills nothing. */
export function billedOf(s: InvoiceSums): number {
  return s.voided ? 0 : s.total - s.credited;
}

/** What was paid against what was billed, never more than billed (an overpayment is the unit's credit, not this). */
export function collectedOf(s: InvoiceSums): number {
  return s.voided ? 0 : Math.min(Math.max(0, s.paid), s.total - s.credited);
}

/** Still owes something after its due date; `today` is the estate's today (calendar/calendar.ts), never UTC's. */
export function isOverdue(inv: { due_date: string; outstanding: number }, today: string): boolean {
  return inv.due_date < today && inv.outstanding > 0;
}

/** SQL for `status` over a row with columns total, paid, credited and voided_at under alias `a`. */
export function statusSql(a: string): string {
  return `case ${STATUS_RULE.map((r) => `when ${r.sql(a)} then '${r.status}'`).join(' ')} else '${FALLBACK_STATUS}' end`;
}

/** SQL for `outstanding` over the same columns. */
export function outstandingSql(a: string): string {
  return `case when ${a}.voided_at is null and ${OWED(a)} > 0 then ${OWED(a)} else 0 end`;
}

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

/**
 * Invoices with their sums and the derived `outstanding` and `status` columns, filtered by `where` on alias `i`.
 * Per invoice (correlated subqueries): for a page, a unit or one invoice. Reports over many use `invoiceSumsInPeriods`.
 */
export function invoiceBalancesQuery(
  store: Pick<ScopedStore, 'knex' | 'estateId'>,
  where?: (q: Knex.QueryBuilder) => void,
): Knex.QueryBuilder {
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
      'i.id',
      'i.unit_id',
      'i.number',
      'i.period',
      'i.kind',
      'i.issue_date',
      'i.due_date',
      'i.total',
      'i.billing_run_id',
      'i.charge_id',
      'i.created_at',
      paid.as('paid'),
      credited.as('credited'),
      voidReason.as('void_reason'),
      voidedAt.as('voided_at'),
    );
  if (where) where(inner);
  return k.select('b.*', k.raw(`${outstandingSql('b')} as outstanding`), k.raw(`${statusSql('b')} as status`)).from(inner.as('b'));
}

/** A row of `invoiceBalancesQuery` in API shape. PostgreSQL returns bigint sums as strings, hence Number(). */
export function toInvoiceBalance(row: Record<string, unknown>): InvoiceBalanceRow {
  const sums: InvoiceSums = {
    total: Number(row.total),
    paid: Number(row.paid),
    credited: Number(row.credited),
    voided: row.voided_at != null,
  };
  return {
    id: row.id as string,
    unit_id: row.unit_id as string,
    number: row.number as string,
    period: row.period as string,
    kind: row.kind as string,
    issue_date: row.issue_date as string,
    due_date: row.due_date as string,
    total: sums.total,
    paid: paidOf(sums),
    credited: sums.credited,
    outstanding: outstandingOf(sums),
    status: statusOf(sums),
    void_reason: (row.void_reason as string | null) ?? null,
    voided_at: (row.voided_at as string | null) ?? null,
    billing_run_id: (row.billing_run_id as string | null) ?? null,
    charge_id: (row.charge_id as string | null) ?? null,
    created_at: row.created_at as string,
  };
}

export interface InvoiceSumsRow extends InvoiceSums {
  id: string;
  unit_id: string;
  period: string;
  due_date: string;
}

/**
 * The same sums for every invoice of a period range, as flat rows: one aggregate per table merged in JS, no
 * correlated subquery per invoice, so a year of 10,000 units stays a handful of index scans.
 */
export async function invoiceSumsInPeriods(store: ScopedStore, range: { from?: string; to?: string } = {}): Promise<InvoiceSumsRow[]> {
  const inRange = <Q extends Knex.QueryBuilder>(q: Q, alias: string): Q => {
    if (range.from) q.where(`${alias}.period`, '>=', range.from);
    if (range.to) q.where(`${alias}.period`, '<=', range.to);
    return q;
  };
  const k = store.knex;
  const [invoices, paid, adjustments] = await Promise.all([
    inRange(store.query('invoices').select('id', 'unit_id', 'period', 'due_date', 'total'), 'invoices'),
    inRange(
      k('payment_allocations as pa')
        .join('invoices as i', 'i.id', 'pa.invoice_id')
        .where('pa.estate_id', store.estateId)
        .groupBy('pa.invoice_id')
        .select('pa.invoice_id')
        .sum({ s: 'pa.amount' }),
      'i',
    ),
    inRange(
      k('invoice_adjustments as ad')
        .join('invoices as i', 'i.id', 'ad.invoice_id')
        .where('ad.estate_id', store.estateId)
        .groupBy('ad.invoice_id', 'ad.kind')
        .select('ad.invoice_id', 'ad.kind')
        .sum({ s: 'ad.amount' }),
      'i',
    ),
  ]);
  const paidBy = new Map<string, number>(paid.map((r: { invoice_id: string; s: unknown }) => [r.invoice_id, Number(r.s)]));
  const creditedBy = new Map<string, number>();
  const voided = new Set<string>();
  for (const a of adjustments as Array<{ invoice_id: string; kind: string; s: unknown }>) {
    if (a.kind === 'void') voided.add(a.invoice_id);
    else if (a.kind === 'credit_note') creditedBy.set(a.invoice_id, (creditedBy.get(a.invoice_id) ?? 0) + Number(a.s));
  }
  return (invoices as Array<{ id: string; unit_id: string; period: string; due_date: string; total: unknown }>).map((i) => ({
    id: i.id,
    unit_id: i.unit_id,
    period: i.period,
    due_date: i.due_date,
    total: Number(i.total),
    paid: paidBy.get(i.id) ?? 0,
    credited: creditedBy.get(i.id) ?? 0,
    voided: voided.has(i.id),
  }));
}

/**
 * Overflow (see the rule at the top) per unit, from grouped sums: only invoices that have allocations are read.
 * `:estate_id` is bound by the store; with `oneUnit` the three `?` take the unit's id, and the allocation and
 * adjustment sums read only the rows of that unit's invoices, by (estate_id, invoice_id), so a portal balance never
 * reads the estate's. (Filtered by the allocations' own unit_id instead, SQLite's planner took the (estate_id,
 * invoice_id) index for the GROUP BY's order and walked every allocation of the estate: 7 ms a balance at 2,000
 * units.)
 */
function overflowSql(oneUnit: boolean): string {
  const billed =
    'case when ad.voided = 1 then 0 when i.total - coalesce(ad.credited, 0) > 0 then i.total - coalesce(ad.credited, 0) else 0 end';
  return `select i.unit_id as unit_id, sum(case when pa.s > ${billed} then pa.s - ${billed} else 0 end) as overflow
    from invoices i
    join (
      select invoice_id, sum(amount) as s from payment_allocations
      where estate_id = :estate_id${oneUnit ? ' and invoice_id in (select id from invoices where estate_id = :estate_id and unit_id = ?)' : ''}
      group by invoice_id
    ) pa on pa.invoice_id = i.id
    left join (
      select invoice_id,
        sum(case when kind = 'credit_note' then amount else 0 end) as credited,
        max(case when kind = 'void' then 1 else 0 end) as voided
      from invoice_adjustments
      where estate_id = :estate_id${oneUnit ? ' and invoice_id in (select id from invoices where estate_id = :estate_id and unit_id = ?)' : ''}
      group by invoice_id
    ) ad on ad.invoice_id = i.id
    where i.estate_id = :estate_id${oneUnit ? ' and i.unit_id = ?' : ''}
    group by i.unit_id`;
}
/** Exported for the query-plan test: a portal balance reads its unit's rows only. */
export const OVERFLOW_OF_UNIT_SQL = overflowSql(true);
const OVERFLOW_BY_UNIT_SQL = overflowSql(false);

/** The overflow of one unit's invoices: part of its credit. */
export async function overflowOfUnit(store: Pick<ScopedStore, 'estateRows'>, unitId: string): Promise<number> {
  const [row] = await store.estateRows<{ overflow: unknown }>(OVERFLOW_OF_UNIT_SQL, [unitId, unitId, unitId]);
  return Number(row?.overflow ?? 0);
}

/** The overflow of every unit that has any. */
export async function overflowByUnit(store: Pick<ScopedStore, 'estateRows'>): Promise<Map<string, number>> {
  const rows = await store.estateRows<{ unit_id: string; overflow: unknown }>(OVERFLOW_BY_UNIT_SQL);
  return new Map(rows.filter((r) => Number(r.overflow) > 0).map((r) => [r.unit_id, Number(r.overflow)]));
}

/**
 * Which allocations of an invoice hold its overflow: allocations in force (netted per original row) in id order,
 * the ones past what the invoice bills are the excess. Ids are the same on every site, so every site names the same
 * payment whatever order the two arrived in.
 */
export function overflowByAllocation<A extends { allocation_id: string; amount: number }>(
  sums: InvoiceSums,
  allocations: readonly A[],
): Array<A & { excess: number }> {
  const billed = Math.max(0, billedOf(sums));
  let before = 0;
  const out: Array<A & { excess: number }> = [];
  for (const a of [...allocations].sort((x, y) => (x.allocation_id < y.allocation_id ? -1 : x.allocation_id > y.allocation_id ? 1 : 0))) {
    const excess = Math.max(0, Math.min(a.amount, before + a.amount - billed));
    before += a.amount;
    if (excess > 0) out.push({ ...a, excess });
  }
  return out;
}
