import { describe, expect, it } from 'vitest';
import { buildMonthlyReport, monthlyReportDocument, type MonthlyEntry } from './monthly-report.ts';

const accounts = [
  { id: 'cash', name: 'Kas tunai', kind: 'cash' },
  { id: 'bank', name: 'Bank BRI', kind: 'bank' },
];
const e = (account_id: string, direction: 'in' | 'out', amount: number, category: string, entry_date: string): MonthlyEntry => ({
  account_id,
  direction,
  amount,
  category,
  entry_date,
});

describe('buildMonthlyReport', () => {
  const report = buildMonthlyReport('2026-11', accounts, [
    e('cash', 'in', 1_000_000, 'opening_balance', '2026-10-01'),
    e('cash', 'out', 200_000, 'electricity', '2026-10-15'),
    e('cash', 'in', 450_000, 'iuran', '2026-11-03'),
    e('cash', 'in', 150_000, 'iuran', '2026-11-04'),
    e('cash', 'out', 150_000, 'reversal', '2026-11-05'), // a reversed payment
    e('cash', 'out', 300_000, 'guard_salary', '2026-11-25'),
    e('cash', 'out', 500_000, 'transfer', '2026-11-26'),
    e('bank', 'in', 500_000, 'transfer', '2026-11-26'),
    e('bank', 'in', 75_000, 'donation', '2026-11-30'),
    e('cash', 'in', 999_999, 'iuran', '2026-12-01'), // next month: ignored
  ]);

  it('derives opening from everything before the month and closing = opening + receipts − spending', () => {
    const cash = report.accounts.find((a) => a.account_id === 'cash')!;
    expect(cash.opening).toBe(800_000);
    expect(cash.total_receipts).toBe(450_000);
    expect(cash.total_spending).toBe(800_000);
    expect(cash.closing).toBe(450_000);
    const bank = report.accounts.find((a) => a.account_id === 'bank')!;
    expect(bank.opening).toBe(0);
    expect(bank.closing).toBe(575_000);
  });

  it('shows a reversal as a negative receipt of its own, not as spending', () => {
    const cash = report.accounts.find((a) => a.account_id === 'cash')!;
    expect(cash.receipts).toContainEqual({ category: 'reversal', label: 'Koreksi (pembalikan)', amount: -150_000 });
    expect(cash.spending.map((s) => s.category)).toEqual(['transfer', 'guard_salary']);
  });

  it('leaves transfers between own accounts out of the estate total', () => {
    expect(report.total.opening).toBe(800_000);
    expect(report.total.receipts.map((r) => r.category)).toEqual(['iuran', 'donation', 'reversal']);
    expect(report.total.spending).toEqual([{ category: 'guard_salary', label: 'Gaji satpam', amount: 300_000 }]);
    expect(report.total.closing).toBe(1_025_000);
    expect(report.total.closing).toBe(report.accounts.reduce((s, a) => s + a.closing, 0));
  });

  it('renders a summary with one row per account and the total', () => {
    const doc = monthlyReportDocument(report, { name: 'Griya', address: null, rt: '1', rw: '2' }, 'now');
    expect(doc.subtitle).toBe('Periode November 2026');
    expect(doc.tables[0].rows.map((r) => r.cells.account)).toEqual(['Kas tunai', 'Bank BRI', 'Semua akun']);
  });

  it("lists the month's transactions by date and as written, categories in words, then the signature blocks", () => {
    const own = new Map([['lomba_17_an', 'Lomba 17-an']]);
    const r = buildMonthlyReport(
      '2026-11',
      accounts,
      [
        { ...e('cash', 'out', 40_000, 'lomba_17_an', '2026-11-10'), seq: 9, description: 'Hadiah lomba' },
        { ...e('cash', 'in', 150_000, 'iuran', '2026-11-10'), seq: 4, description: 'PAY20261110001 A-1' },
        { ...e('bank', 'in', 75_000, 'donation', '2026-11-02'), seq: 7, description: 'Sumbangan' },
        { ...e('cash', 'in', 9_000, 'arisan_lama', '2026-11-12'), seq: 10, description: 'Kategori lama' },
        { ...e('cash', 'in', 1_000, 'iuran', '2026-10-31'), seq: 1, description: 'Bulan lalu' },
      ],
      own,
    );
    expect(r.transactions.map((t) => [t.entry_date, t.account, t.label, t.description, t.direction, t.amount])).toEqual([
      ['2026-11-02', 'Bank BRI', 'Donasi', 'Sumbangan', 'in', 75_000],
      ['2026-11-10', 'Kas tunai', 'Iuran warga', 'PAY20261110001 A-1', 'in', 150_000],
      ['2026-11-10', 'Kas tunai', 'Lomba 17-an', 'Hadiah lomba', 'out', 40_000],
      ['2026-11-12', 'Kas tunai', 'arisan lama', 'Kategori lama', 'in', 9_000],
    ]);
    expect(r.accounts[0].spending).toEqual([{ category: 'lomba_17_an', label: 'Lomba 17-an', amount: 40_000 }]);

    const doc = monthlyReportDocument(r, { name: 'Griya', address: null, rt: '1', rw: '2' }, 'now');
    const list = doc.tables.at(-1)!;
    expect(list.sheet).toBe('Transaksi');
    expect(list.rows[0].cells).toMatchObject({ date: '2 Nov 2026', category: 'Donasi', in: 75_000, out: null });
    expect(list.rows.at(-1)!.cells).toMatchObject({ in: 234_000, out: 40_000 });
    expect(doc.signatures).toEqual([
      { above: 'Mengetahui,', role: 'Ketua RT' },
      { above: '', role: 'Bendahara' },
    ]);
  });
});
