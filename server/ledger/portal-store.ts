import type { Knex } from 'knex';
import { queryTemplate } from '../db/query-template.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { invoiceBalancesQuery, isOverdue, overflowOfUnit, toInvoiceBalance } from './invoice-balance.ts';
import { estateToday } from '../calendar/calendar.ts';
import { paymentFields } from './payment-service.ts';

/**
 * The resident portal's reads: a unit's balance, its invoices and its payments as one occupant may see them. Each
 * is a fixed number of indexed statements (compiled once, see queryTemplate), whatever the page size: the portal is
 * what every resident opens on the first of the month, all at once.
 *
 * What an occupant sees of the unit's history starts at their occupancy (`PortalView.visibleFrom`): payments made
 * from that day on or paid by them, and invoices for that month on plus any the unit still owes. The previous
 * occupant's paid history is theirs, not the new occupant's.
 */
export interface PortalView {
  residentId: string;
  unitId: string;
  unitCode: string | null;
  /** Estate-local date the occupant's view starts, or '' for the unit's whole history. */
  visibleFrom: string;
  /** The same day's first instant as stored (UTC ISO), or '' for the whole history. */
  visibleFromInstant: string;
}

type Params = 'estateId' | 'unitId';
const n = (v: unknown) => Number(v ?? 0);

const balanceQuery = queryTemplate<Params>((knex, p) => {
  const credit = knex('credit_movements as cm')
    .where('cm.estate_id', p.estateId)
    .where('cm.unit_id', p.unitId)
    .select(knex.raw('coalesce(sum(cm.amount), 0)'));
  return knex
    .from(invoiceBalancesQuery({ knex, estateId: p.estateId }, (q) => q.where('i.unit_id', p.unitId)).as('x'))
    .select(knex.raw('coalesce(sum(x.outstanding), 0) as outstanding'), credit.as('credit'));
});

/** What the unit owes now and its credit: the unit's, whoever incurred it (it is what the occupant is asked to pay). */
export async function portalBalance(store: ScopedStore, view: PortalView) {
  const [row] = await store.select<{ outstanding: unknown; credit: unknown }>(balanceQuery, { unitId: view.unitId });
  return { unit_id: view.unitId, outstanding: n(row?.outstanding), credit: n(row?.credit) + (await overflowOfUnit(store, view.unitId)) };
}

// Dues belong to their period: an invoice for a month before the occupant's first is the earlier occupant's history.
// Materialized: each invoice's sums are computed once, not once per place the filter and the page name them.
function visibleInvoices(knex: Knex, p: Record<Params | 'visiblePeriod', string>) {
  return knex
    .withMaterialized(
      'ub',
      invoiceBalancesQuery({ knex, estateId: p.estateId }, (q) => q.where('i.unit_id', p.unitId)),
    )
    .from('ub as b')
    .where((q) => q.where('b.period', '>=', p.visiblePeriod).orWhere('b.outstanding', '>', 0))
    .select('b.*');
}

const invoiceCountQuery = queryTemplate<Params | 'visiblePeriod'>((knex, p) =>
  knex.from(visibleInvoices(knex, p).as('v')).count({ n: '*' }),
);
// The page carries the count of all visible invoices (a window over the whole result, taken before the limit): one
// statement per page instead of two. Only a page past the end, which has no row to carry it, counts apart.
const invoicePageQuery = queryTemplate<Params | 'visiblePeriod' | 'limit' | 'offset'>((knex, p) =>
  knex.raw('select v.*, count(*) over () as page_total from ? as v order by v.period desc, v.number asc limit ? offset ?', [
    visibleInvoices(knex, p),
    p.limit,
    p.offset,
  ]),
);

export async function portalInvoices(store: ScopedStore, view: PortalView, q: { limit: number; offset: number }) {
  const values = { unitId: view.unitId, visiblePeriod: view.visibleFrom.slice(0, 7) };
  const rows = await store.select<Record<string, unknown>>(invoicePageQuery, { ...values, limit: q.limit, offset: q.offset });
  const total = rows.length ? n(rows[0].page_total) : n((await store.select<{ n: unknown }>(invoiceCountQuery, values))[0]?.n);
  const today = estateToday(await store.timezone());
  return {
    items: rows.map((r) => {
      const inv = toInvoiceBalance(r);
      return { ...inv, unit_code: view.unitCode, overdue: isOverdue(inv, today) };
    }),
    total,
    limit: q.limit,
    offset: q.offset,
  };
}

type PaymentParams = Params | 'residentId' | 'visibleFrom';

function visiblePayments(knex: Knex, p: Record<PaymentParams, string>) {
  return knex('payments as p')
    .where('p.estate_id', p.estateId)
    .where('p.unit_id', p.unitId)
    .where((q) => q.where('p.paid_at', '>=', p.visibleFrom).orWhere('p.payer_resident_id', p.residentId));
}

function paymentPage(knex: Knex, p: Record<PaymentParams | 'limit' | 'offset', string>, select: string) {
  return knex.raw(`select ${select} from ? as pg order by pg.paid_at desc, pg.id desc limit ? offset ?`, [
    visiblePayments(knex, p).select('p.*'),
    p.limit,
    p.offset,
  ]);
}

const paymentCountQuery = queryTemplate<PaymentParams>((knex, p) => visiblePayments(knex, p).count({ n: '*' }));

// Reversal, left-over credit and the first proof of each payment on the page, as columns of the page itself.
const paymentPageQuery = queryTemplate<PaymentParams | 'limit' | 'offset'>((knex, p) => {
  // With the count of all visible payments, as the invoice page carries its own.
  const page = paymentPage(knex, p, 'pg.*, count(*) over () as page_total');
  const credit = knex('credit_movements as cm')
    .whereRaw("cm.estate_id = pp.estate_id and cm.payment_id = pp.id and cm.kind = 'payment_excess'")
    .select(knex.raw('coalesce(sum(cm.amount), 0)'));
  const firstProof = knex('payment_proofs as f')
    .whereRaw("f.estate_id = pp.estate_id and f.owner_table = 'payments' and f.owner_id = pp.id")
    .min('f.id');
  return knex
    .from(knex.raw('(?) as pp', [page]))
    .leftJoin('payment_reversals as r', 'r.payment_id', 'pp.id')
    .leftJoin('payment_proofs as pf', (j) => j.on(knex.raw('pf.id = ?', [firstProof])))
    .select(
      'pp.*',
      credit.as('excess_credit'),
      'r.id as reversal_id',
      'r.reason as reversal_reason',
      'r.created_at as reversed_at',
      'r.created_by as reversed_by',
      'pf.id as proof_id',
      'pf.filename as proof_filename',
      'pf.mime as proof_mime',
      'pf.size as proof_size',
    )
    .orderBy([
      { column: 'pp.paid_at', order: 'desc' },
      { column: 'pp.id', order: 'desc' },
    ]);
});

// What each payment of the page paid, per invoice: one statement for the whole page, by the page's own ids (walking
// the visible payments a second time to find them cost as much as the page itself).
function pageAllocationsSql(count: number): string {
  return (
    'select pa."payment_id", pa."invoice_id", i."number", i."period", sum(pa."amount") as "amount" from "payment_allocations" pa ' +
    'join "invoices" i on i."id" = pa."invoice_id" and i."estate_id" = pa."estate_id" ' +
    `where pa."estate_id" = :estate_id and pa."payment_id" in (${Array.from({ length: count }, () => '?').join(', ')}) ` +
    'group by pa."payment_id", pa."invoice_id", i."number", i."period"'
  );
}

/** The unit's payments the occupant may see, newest first, in the shape of the office's payment list. */
export async function portalPayments(store: ScopedStore, view: PortalView, q: { limit: number; offset: number }) {
  const values = { unitId: view.unitId, residentId: view.residentId, visibleFrom: view.visibleFromInstant };
  const paged = { ...values, limit: q.limit, offset: q.offset };
  const rows = await store.select<Record<string, any>>(paymentPageQuery, paged);
  const total = rows.length ? n(rows[0].page_total) : n((await store.select<{ n: unknown }>(paymentCountQuery, values))[0]?.n);
  const allocationRows = rows.length
    ? await store.estateRows<Record<string, any>>(
        pageAllocationsSql(rows.length),
        rows.map((r) => r.id),
      )
    : [];
  const byPayment = new Map<string, Array<{ invoice_id: string; invoice_number: string; period: string; amount: number }>>();
  for (const a of allocationRows) {
    const list = byPayment.get(a.payment_id) ?? [];
    list.push({ invoice_id: a.invoice_id, invoice_number: a.number, period: a.period, amount: n(a.amount) });
    byPayment.set(a.payment_id, list);
  }
  const items = rows.map((row) => {
    const reversed = row.reversal_id != null;
    const allocations = (byPayment.get(row.id) ?? [])
      .filter((a) => a.amount > 0 || !reversed)
      .sort((a, b) => (a.period + a.invoice_number < b.period + b.invoice_number ? -1 : 1));
    return {
      ...paymentFields(row as Parameters<typeof paymentFields>[0], view.unitCode),
      status: reversed ? ('reversed' as const) : ('recorded' as const),
      reversal: reversed
        ? {
            reason: row.reversal_reason as string,
            reversed_at: row.reversed_at as string,
            reversed_by: (row.reversed_by as string | null) ?? null,
          }
        : null,
      allocations,
      credit: n(row.excess_credit),
      proof:
        row.proof_id != null
          ? { id: row.proof_id as string, filename: row.proof_filename as string, mime: row.proof_mime as string, size: n(row.proof_size) }
          : null,
    };
  });
  return { items, total, limit: q.limit, offset: q.offset };
}

/** Whether the occupant may see this payment (its receipt, for one): the same rule as the list. */
const paymentVisibleQuery = queryTemplate<PaymentParams | 'paymentId'>((knex, p) =>
  visiblePayments(knex, p).where('p.id', p.paymentId).select('p.id').limit(1),
);

export async function portalPaymentVisible(store: ScopedStore, view: PortalView, paymentId: string): Promise<boolean> {
  const rows = await store.select(paymentVisibleQuery, {
    unitId: view.unitId,
    residentId: view.residentId,
    visibleFrom: view.visibleFromInstant,
    paymentId,
  });
  return rows.length > 0;
}
