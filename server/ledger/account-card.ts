import type { ScopedStore } from '../db/scoped-store.ts';
import { nowIso } from '../db/clock.ts';
import { NotFoundError, ValidationError } from '../http/errors.ts';
import { estateToday, localDateOfInstant, periodDays } from '../calendar/calendar.ts';
import { buildStatement, type StatementFact } from './account-statement.ts';
import { invoiceBalancesQuery, isOverdue, toInvoiceBalance } from './invoice-balance.ts';
import { creditOfUnit } from './ledger-store.ts';

/**
 * A unit's account card: its invoices, credit notes, voids, payments (with their receipts), reversals and refunds
 * as one statement with a running balance, for a range of months. What each invoice owes comes from the one rule in
 * invoice-balance.ts; dates are the estate's calendar days.
 */
export interface AccountCardQuery {
  from?: string;
  to?: string;
}

const num = (v: unknown) => Number(v ?? 0);

export async function unitAccountCard(store: ScopedStore, unitId: string, q: AccountCardQuery) {
  if (q.from && q.to && q.from > q.to) throw new ValidationError('Periode akhir tidak boleh sebelum periode awal.', 'to');
  const unit = await store.find<{ id: string; code: string; deleted_at: string | null }>('units', unitId, { includeDeleted: true });
  if (!unit) throw new NotFoundError('Unit');
  const zone = await store.timezone();
  const today = estateToday(zone);
  const local = (iso: string) => localDateOfInstant(iso, zone);

  // One query after another: this may run on a PostgreSQL connection that serves one query at a time.
  const estate = await store.knex('estates').where({ id: store.estateId }).first('name');
  const residents = (await store
    .query('unit_occupancies')
    .join('residents', 'residents.id', 'unit_occupancies.resident_id')
    .where('unit_occupancies.unit_id', unitId)
    .whereNull('unit_occupancies.deleted_at')
    .whereNull('unit_occupancies.moved_out_on')
    .whereNull('residents.deleted_at')
    .orderByRaw("case unit_occupancies.relation when 'owner' then 0 when 'tenant' then 1 else 2 end")
    .orderBy('residents.name')
    .select('residents.name', 'unit_occupancies.relation')) as Array<{ name: string; relation: string }>;
  const invoices = ((await invoiceBalancesQuery(store, (iq) => iq.where('i.unit_id', unitId))) as Record<string, unknown>[]).map(
    toInvoiceBalance,
  );
  const invoiceIds = store.query('invoices').where('invoices.unit_id', unitId).select('invoices.id');
  const adjustments = await store
    .query('invoice_adjustments')
    .whereIn('invoice_adjustments.invoice_id', invoiceIds)
    .select('id', 'invoice_id', 'kind', 'amount', 'reason', 'created_at');
  const payments = await store
    .query('payments')
    .leftJoin('receipts', (j) => j.on('receipts.payment_id', '=', 'payments.id').andOn('receipts.estate_id', '=', 'payments.estate_id'))
    .where('payments.unit_id', unitId)
    .select(
      'payments.id',
      'payments.number',
      'payments.amount',
      'payments.method',
      'payments.paid_at',
      'payments.created_at',
      'receipts.receipt_number',
    );
  const reversals = await store
    .query('payment_reversals')
    .join('payments', 'payments.id', 'payment_reversals.payment_id')
    .where('payments.unit_id', unitId)
    .select(
      'payment_reversals.id',
      'payment_reversals.payment_id',
      'payments.number',
      'payments.amount',
      'payment_reversals.reason',
      'payment_reversals.created_at',
    );
  const refunds = await store
    .query('credit_refunds')
    .where('credit_refunds.unit_id', unitId)
    .select('id', 'amount', 'method', 'reason', 'refunded_at', 'created_at');
  const credit = await creditOfUnit(store, unitId);

  const byId = new Map(invoices.map((i) => [i.id, i]));
  const base = { invoice_id: null, payment_id: null, number: null, receipt_number: null, period: null, note: null, overdue: false };
  const facts: StatementFact[] = [];
  for (const inv of invoices) {
    facts.push({
      ...base,
      kind: 'invoice',
      id: inv.id,
      date: inv.issue_date,
      amount: inv.total,
      recorded_at: inv.created_at,
      invoice_id: inv.id,
      number: inv.number,
      period: inv.period,
      overdue: isOverdue(inv, today),
    });
  }
  // A void takes back what the invoice still billed when it landed: its total less the credit notes before it.
  const creditedBefore = new Map<string, number>();
  for (const a of [...adjustments].sort((x, y) => (x.created_at < y.created_at ? -1 : 1))) {
    const inv = byId.get(a.invoice_id);
    const credited = creditedBefore.get(a.invoice_id) ?? 0;
    const amount = a.kind === 'void' ? -((inv?.total ?? 0) - credited) : -num(a.amount);
    if (a.kind === 'credit_note') creditedBefore.set(a.invoice_id, credited + num(a.amount));
    facts.push({
      ...base,
      kind: a.kind === 'void' ? 'void' : 'credit_note',
      id: a.id,
      date: local(a.created_at),
      amount,
      recorded_at: a.created_at,
      invoice_id: a.invoice_id,
      number: inv?.number ?? null,
      period: inv?.period ?? null,
      note: a.reason,
    });
  }
  for (const p of payments) {
    facts.push({
      ...base,
      kind: 'payment',
      id: p.id,
      date: local(p.paid_at),
      amount: -num(p.amount),
      recorded_at: p.created_at,
      payment_id: p.id,
      number: p.number,
      receipt_number: p.receipt_number ?? null,
      note: p.method,
    });
  }
  for (const r of reversals) {
    facts.push({
      ...base,
      kind: 'reversal',
      id: r.id,
      date: local(r.created_at),
      amount: num(r.amount),
      recorded_at: r.created_at,
      payment_id: r.payment_id,
      number: r.number,
      note: r.reason,
    });
  }
  for (const r of refunds) {
    facts.push({
      ...base,
      kind: 'refund',
      id: r.id,
      date: local(r.refunded_at),
      amount: num(r.amount),
      recorded_at: r.created_at,
      note: r.reason ?? r.method,
    });
  }

  const statement = buildStatement(facts, {
    from: q.from ? periodDays(q.from).from : undefined,
    to: q.to ? periodDays(q.to).to : undefined,
  });
  const outstanding = invoices.reduce((s, i) => s + i.outstanding, 0);
  return {
    estate: { name: (estate?.name as string | undefined) ?? '' },
    unit: { id: unit.id, code: unit.code, deleted: unit.deleted_at != null },
    residents,
    from: q.from ?? null,
    to: q.to ?? null,
    today,
    generated_at: nowIso(),
    outstanding,
    credit: Number(credit),
    overdue: invoices.filter((i) => isOverdue(i, today)).reduce((s, i) => s + i.outstanding, 0),
    ...statement,
  };
}
