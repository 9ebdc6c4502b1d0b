import { DateTime } from 'luxon';
import type { ScopedStore } from '../db/scoped-store.ts';
import { NotFoundError } from '../http/errors.ts';
import { arrearsDocument, arrearsMatrix, type ArrearsReport, type ArrearsSort } from './arrears-matrix.ts';
import { collectionByMonth, collectionDocument, type CollectionMonth } from './collection-rate.ts';
import { outstandingOf } from './invoice-facts.ts';
import { buildMonthlyReport, monthlyReportDocument, type MonthlyReport } from './monthly-report.ts';
import { buildPaymentHistory, paymentHistoryDocument, type PaymentHistory } from './payment-history.ts';
import { periodsOfYear } from './period-names.ts';
import { generatedStamp } from './report-format.ts';
import { estateHeaderOf, type ReportDocument } from './report-table.ts';
import { cashbookAccounts, cashbookEntriesUpTo, invoiceFacts, ownCategoryNames, reportUnits, unitCredit, unitPayments } from './store.ts';
import { periodDays } from '../calendar/calendar.ts';
import { type AccountCard, unitAccountCard } from '../ledger/index.ts';
import { accountCardDocument } from './account-card-document.ts';

/** Each report: its JSON for the screen, and the document the .xlsx and PDF writers render. */
export interface BuiltReport<T> {
  data: T;
  document: () => ReportDocument;
}

type EstateRow = Record<string, unknown> & { timezone?: unknown };

function tzOf(estate: EstateRow): string {
  return typeof estate.timezone === 'string' && estate.timezone ? estate.timezone : 'Asia/Jakarta';
}

export async function monthlyReport(store: ScopedStore, estate: EstateRow, period: string): Promise<BuiltReport<MonthlyReport>> {
  const [accounts, entries, own] = await Promise.all([
    cashbookAccounts(store),
    cashbookEntriesUpTo(store, periodDays(period).to),
    ownCategoryNames(store),
  ]);
  const data = buildMonthlyReport(period, accounts, entries, own);
  return { data, document: () => monthlyReportDocument(data, estateHeaderOf(estate), generatedStamp(tzOf(estate))) };
}

export async function arrearsReport(
  store: ScopedStore,
  estate: EstateRow,
  year: number,
  sort: ArrearsSort = 'unit',
): Promise<BuiltReport<ArrearsReport>> {
  const [units, invoices] = await Promise.all([reportUnits(store), invoiceFacts(store, { from: `${year}-01`, to: `${year}-12` })]);
  const data = arrearsMatrix(year, units, invoices, sort);
  return { data, document: () => arrearsDocument(data, estateHeaderOf(estate), generatedStamp(tzOf(estate))) };
}

export async function collectionReport(
  store: ScopedStore,
  estate: EstateRow,
  year: number,
): Promise<BuiltReport<{ year: number; months: CollectionMonth[] }>> {
  const invoices = await invoiceFacts(store, { from: `${year}-01`, to: `${year}-12` });
  const months = collectionByMonth(periodsOfYear(year), invoices);
  return { data: { year, months }, document: () => collectionDocument(year, months, estateHeaderOf(estate), generatedStamp(tzOf(estate))) };
}

export async function paymentHistoryReport(store: ScopedStore, estate: EstateRow, unitId: string): Promise<BuiltReport<PaymentHistory>> {
  const unit = await store.find<{ id: string; code: string }>('units', unitId, { includeDeleted: true });
  if (!unit) throw new NotFoundError('Unit');
  const [units, rows, credit, invoices] = await Promise.all([
    reportUnits(store),
    unitPayments(store, unitId),
    unitCredit(store, unitId),
    invoiceFacts(store).then((all) => all.filter((i) => i.unit_id === unitId)),
  ]);
  const resident = units.find((u) => u.id === unitId)?.resident ?? null;
  const outstanding = invoices.reduce((s, i) => s + outstandingOf(i), 0);
  const data = buildPaymentHistory({ id: unit.id, code: unit.code, resident }, rows.payments, rows.allocations, rows.reversals, {
    credit,
    outstanding,
  });
  const tz = tzOf(estate);
  const day = (iso: string) => DateTime.fromISO(iso, { zone: 'utc' }).setZone(tz).setLocale('id').toFormat('d LLL yyyy');
  return { data, document: () => paymentHistoryDocument(data, estateHeaderOf(estate), generatedStamp(tz), day) };
}

export async function accountCardReport(
  store: ScopedStore,
  estate: EstateRow,
  q: { unit_id: string; from?: string; to?: string },
): Promise<BuiltReport<AccountCard>> {
  const data = (await unitAccountCard(store, q.unit_id, { from: q.from, to: q.to })) as AccountCard;
  return { data, document: () => accountCardDocument(data, estateHeaderOf(estate), generatedStamp(tzOf(estate))) };
}
