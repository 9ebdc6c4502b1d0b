import { periodDays } from '../calendar/calendar.ts';
import { categoryLabel } from './category-labels.ts';
import { MONTHS_SHORT_ID, periodLabel } from './period-names.ts';
import type { ReportDocument, ReportRow, ReportTable, EstateHeader } from './report-table.ts';

/**
 * The monthly financial report (laporan keuangan): per cash-book account and for the estate as a whole, the opening
 * balance, receipts by category, spending by category and the closing balance of one month, then every transaction
 * of the month. Categories read as words: the built-in names and the estate's own as typed. Pure: built from the
 * account list, the estate's category names and every entry up to the end of the month.
 */
export interface MonthlyAccount {
  id: string;
  name: string;
  kind: string;
}

export interface MonthlyEntry {
  account_id: string;
  direction: 'in' | 'out';
  amount: number;
  category: string;
  entry_date: string;
  description?: string;
  /** Position in the cash book; orders a day's transactions as they were written. */
  seq?: number;
}

export interface MonthlyTransaction {
  entry_date: string;
  account_id: string;
  account: string;
  category: string;
  label: string;
  description: string;
  direction: 'in' | 'out';
  amount: number;
}

export interface CategoryAmount {
  category: string;
  label: string;
  amount: number;
}

export interface MonthlySection {
  opening: number;
  receipts: CategoryAmount[];
  spending: CategoryAmount[];
  total_receipts: number;
  total_spending: number;
  closing: number;
}

export interface MonthlyReport {
  period: string;
  from: string;
  to: string;
  accounts: Array<MonthlySection & { account_id: string; name: string; kind: string }>;
  /** All accounts together; transfers between the estate's own accounts cancel out and are left out. */
  total: MonthlySection;
  /** Every entry dated in the month, by date and then as written. */
  transactions: MonthlyTransaction[];
}

const REVERSAL = 'reversal';
const TRANSFER = 'transfer';

/**
 * A reversing entry corrects the side it undoes: money going out to reverse a payment is shown as a negative
 * receipt, not as spending, so "receipts" reads as what the estate actually kept.
 */
function sideOf(e: MonthlyEntry): { side: 'receipts' | 'spending'; sign: 1 | -1 } {
  if (e.category === REVERSAL) return e.direction === 'out' ? { side: 'receipts', sign: -1 } : { side: 'spending', sign: -1 };
  return e.direction === 'in' ? { side: 'receipts', sign: 1 } : { side: 'spending', sign: 1 };
}

function sorted(map: Map<string, number>, own?: ReadonlyMap<string, string>): CategoryAmount[] {
  return [...map]
    .filter(([, amount]) => amount !== 0)
    .map(([category, amount]) => ({ category, label: categoryLabel(category, own), amount }))
    .sort((a, b) => b.amount - a.amount || a.label.localeCompare(b.label));
}

class SectionBuilder {
  opening = 0;
  receipts = new Map<string, number>();
  spending = new Map<string, number>();

  add(e: MonthlyEntry): void {
    const { side, sign } = sideOf(e);
    const map = side === 'receipts' ? this.receipts : this.spending;
    map.set(e.category, (map.get(e.category) ?? 0) + sign * e.amount);
  }

  build(own?: ReadonlyMap<string, string>): MonthlySection {
    const receipts = sorted(this.receipts, own);
    const spending = sorted(this.spending, own);
    const total_receipts = receipts.reduce((s, c) => s + c.amount, 0);
    const total_spending = spending.reduce((s, c) => s + c.amount, 0);
    return {
      opening: this.opening,
      receipts,
      spending,
      total_receipts,
      total_spending,
      closing: this.opening + total_receipts - total_spending,
    };
  }
}

export function buildMonthlyReport(
  period: string,
  accounts: MonthlyAccount[],
  entries: Iterable<MonthlyEntry>,
  ownCategories?: ReadonlyMap<string, string>,
): MonthlyReport {
  const { from, to } = periodDays(period);
  const perAccount = new Map(accounts.map((a) => [a.id, new SectionBuilder()]));
  const names = new Map(accounts.map((a) => [a.id, a.name]));
  const total = new SectionBuilder();
  const inMonth: MonthlyEntry[] = [];
  for (const raw of entries) {
    const e = { ...raw, amount: Number(raw.amount) };
    const section = perAccount.get(e.account_id);
    if (!section || e.entry_date > to) continue;
    const signed = e.direction === 'in' ? e.amount : -e.amount;
    if (e.entry_date < from) {
      section.opening += signed;
      total.opening += signed;
      continue;
    }
    section.add(e);
    if (e.category !== TRANSFER) total.add(e);
    inMonth.push(e);
  }
  inMonth.sort((a, b) => a.entry_date.localeCompare(b.entry_date) || Number(a.seq ?? 0) - Number(b.seq ?? 0));
  return {
    period,
    from,
    to,
    accounts: accounts.map((a) => ({ account_id: a.id, name: a.name, kind: a.kind, ...perAccount.get(a.id)!.build(ownCategories) })),
    total: total.build(ownCategories),
    transactions: inMonth.map((e) => ({
      entry_date: e.entry_date,
      account_id: e.account_id,
      account: names.get(e.account_id) ?? '',
      category: e.category,
      label: categoryLabel(e.category, ownCategories),
      description: e.description ?? '',
      direction: e.direction,
      amount: e.amount,
    })),
  };
}

/** "3 Nov 2026" */
function dayLabel(day: string): string {
  return `${Number(day.slice(8, 10))} ${MONTHS_SHORT_ID[Number(day.slice(5, 7)) - 1]} ${day.slice(0, 4)}`;
}

const SUMMARY_COLUMNS = [
  { key: 'account', header: 'Akun', kind: 'text' as const, width: 28 },
  { key: 'opening', header: 'Saldo awal', kind: 'rupiah' as const, width: 18 },
  { key: 'receipts', header: 'Penerimaan', kind: 'rupiah' as const, width: 18 },
  { key: 'spending', header: 'Pengeluaran', kind: 'rupiah' as const, width: 18 },
  { key: 'closing', header: 'Saldo akhir', kind: 'rupiah' as const, width: 18 },
];

const DETAIL_COLUMNS = [
  { key: 'item', header: 'Uraian', kind: 'text' as const, width: 44 },
  { key: 'amount', header: 'Jumlah', kind: 'rupiah' as const, width: 20 },
];

function summaryRow(name: string, s: MonthlySection, emphasis?: 'total'): ReportRow {
  return {
    cells: { account: name, opening: s.opening, receipts: s.total_receipts, spending: s.total_spending, closing: s.closing },
    emphasis,
  };
}

function detailRows(name: string, s: MonthlySection): ReportRow[] {
  const rows: ReportRow[] = [{ cells: { item: name, amount: null }, emphasis: 'section' }];
  rows.push({ cells: { item: 'Saldo awal', amount: s.opening } });
  rows.push({ cells: { item: 'Penerimaan', amount: null }, emphasis: 'section' });
  for (const c of s.receipts) rows.push({ cells: { item: `   ${c.label}`, amount: c.amount } });
  rows.push({ cells: { item: 'Jumlah penerimaan', amount: s.total_receipts }, emphasis: 'total' });
  rows.push({ cells: { item: 'Pengeluaran', amount: null }, emphasis: 'section' });
  for (const c of s.spending) rows.push({ cells: { item: `   ${c.label}`, amount: c.amount } });
  rows.push({ cells: { item: 'Jumlah pengeluaran', amount: s.total_spending }, emphasis: 'total' });
  rows.push({ cells: { item: 'Saldo akhir', amount: s.closing }, emphasis: 'total' });
  return rows;
}

export function monthlyReportDocument(report: MonthlyReport, estate: EstateHeader, generatedAt: string): ReportDocument {
  const summary: ReportTable = {
    sheet: 'Ringkasan',
    title: 'Ringkasan per akun',
    columns: SUMMARY_COLUMNS,
    rows: [...report.accounts.map((a) => summaryRow(a.name, a)), summaryRow('Semua akun', report.total, 'total')],
  };
  const details: ReportTable = {
    sheet: 'Rincian',
    title: 'Rincian penerimaan dan pengeluaran',
    columns: DETAIL_COLUMNS,
    rows: [...detailRows('Semua akun (tanpa pindah buku)', report.total), ...report.accounts.flatMap((a) => detailRows(a.name, a))],
  };
  const transactions: ReportTable = {
    sheet: 'Transaksi',
    title: 'Daftar transaksi',
    columns: [
      { key: 'date', header: 'Tanggal', kind: 'text', width: 12 },
      { key: 'account', header: 'Akun', kind: 'text', width: 16 },
      { key: 'category', header: 'Kategori', kind: 'text', width: 20 },
      { key: 'description', header: 'Uraian', kind: 'text', width: 34 },
      { key: 'in', header: 'Masuk', kind: 'rupiah', width: 15 },
      { key: 'out', header: 'Keluar', kind: 'rupiah', width: 15 },
    ],
    rows: [
      ...report.transactions.map((t) => ({
        cells: {
          date: dayLabel(t.entry_date),
          account: t.account,
          category: t.label,
          description: t.description,
          in: t.direction === 'in' ? t.amount : null,
          out: t.direction === 'out' ? t.amount : null,
        },
      })),
      {
        cells: {
          date: 'Jumlah',
          account: `${report.transactions.length} transaksi`,
          category: '',
          description: '',
          in: report.transactions.filter((t) => t.direction === 'in').reduce((s, t) => s + t.amount, 0),
          out: report.transactions.filter((t) => t.direction === 'out').reduce((s, t) => s + t.amount, 0),
        },
        emphasis: 'total' as const,
      },
    ],
  };
  return {
    filename: `laporan-keuangan-${report.period}`,
    title: 'Laporan Keuangan',
    subtitle: `Periode ${periodLabel(report.period)}`,
    estate,
    generatedAt,
    tables: [summary, details, transactions],
    // The committee signs the printed report at the monthly meeting; names are written in by hand.
    signatures: [
      { above: 'Mengetahui,', role: 'Ketua RT' },
      { above: '', role: 'Bendahara' },
    ],
  };
}
