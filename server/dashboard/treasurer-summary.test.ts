import { describe, expect, it } from 'vitest';
import { treasurerDashboard } from './treasurer-summary.ts';

describe('treasurerDashboard', () => {
  const inv = (unit_id: string, period: string, paid: number) => ({
    unit_id,
    period,
    due_date: `${period}-10`,
    total: 100_000,
    paid,
    credited: 0,
    voided: false,
  });
  const d = treasurerDashboard({
    period: '2026-11',
    today: '2026-11-10',
    invoices: [
      inv('a', '2026-11', 100_000),
      inv('b', '2026-11', 0),
      inv('b', '2026-10', 0),
      inv('c', '2026-11', 40_000),
      inv('a', '2025-11', 0),
      inv('c', '2025-10', 0),
    ],
    units: [
      { id: 'a', code: 'A-1', resident: null },
      { id: 'b', code: 'A-2', resident: 'Budi' },
      { id: 'c', code: 'A-10', resident: null },
    ],
    accounts: [
      { id: 'k', name: 'Kas', kind: 'cash', balance: 500_000 },
      { id: 'b', name: 'Bank', kind: 'bank', balance: 250_000 },
    ],
    creditTotal: 0,
    pendingSubmissions: 2,
  });

  it("summarises this month's collection and the twelve months ending with it", () => {
    expect(d.this_month).toMatchObject({ period: '2026-11', billed: 300_000, collected: 140_000, rate: 0.4667 });
    expect(d.series.map((m) => m.period)).toEqual([
      '2025-12',
      '2026-01',
      '2026-02',
      '2026-03',
      '2026-04',
      '2026-05',
      '2026-06',
      '2026-07',
      '2026-08',
      '2026-09',
      '2026-10',
      '2026-11',
    ]);
    expect(d.series[10]).toMatchObject({ billed: 100_000, collected: 0 });
  });

  it('totals every outstanding rupiah, ranks units by what they owe, and adds up cash', () => {
    expect(d.outstanding_total).toBe(100_000 + 100_000 + 60_000 + 100_000 + 100_000);
    expect(d.top_arrears.map((u) => [u.code, u.outstanding, u.months_owed])).toEqual([
      ['A-2', 200_000, 2],
      ['A-10', 160_000, 2],
      ['A-1', 100_000, 1],
    ]);
    expect(d.top_arrears[0].oldest_period).toBe('2026-10');
    expect(d.cash_total).toBe(750_000);
    expect(d.units_in_arrears).toBe(3);
  });

  it("counts as overdue only what is still owed after its due date, by the estate's today", () => {
    // This month's invoices fall due today (the 10th): owed, not yet overdue.
    expect(d.overdue_total).toBe(300_000);
    expect(d.top_arrears.map((u) => [u.code, u.overdue])).toEqual([
      ['A-2', 100_000],
      ['A-10', 100_000],
      ['A-1', 100_000],
    ]);
  });
});

describe('treasurerDashboard: money in and out, and how far the estate is set up', () => {
  const entry = (direction: 'in' | 'out', amount: number, category: string, entry_date: string) => ({
    direction,
    amount,
    category,
    entry_date,
  });
  const d = treasurerDashboard({
    period: '2026-11',
    invoices: [],
    units: [
      { id: 'a', code: 'A-1', resident: null },
      { id: 'x', code: 'X-1', resident: null, deleted: true },
    ],
    accounts: [],
    creditTotal: 0,
    pendingSubmissions: 0,
    feeTypes: 2,
    entries: [
      entry('in', 300_000, 'iuran', '2026-11-02'),
      entry('out', 120_000, 'kebersihan', '2026-11-03'),
      // A payment taken back: less income, not more spending.
      entry('out', 50_000, 'reversal', '2026-11-04'),
      // A purchase corrected: less spending.
      entry('in', 20_000, 'reversal', '2026-11-05'),
      // Cash carried to the bank is neither.
      entry('out', 100_000, 'transfer', '2026-11-06'),
      entry('in', 100_000, 'transfer', '2026-11-06'),
      entry('out', 75_000, 'keamanan', '2026-10-31'),
    ],
  });

  it('puts spending next to income per month, with reversals and transfers read like the monthly report', () => {
    expect(d.this_month).toMatchObject({ period: '2026-11', income: 250_000, spending: 100_000 });
    expect(d.series.find((m) => m.period === '2026-10')).toMatchObject({ income: 0, spending: 75_000 });
  });

  it('counts live units, fee types and invoices for the first steps', () => {
    expect(d.setup).toEqual({ units: 1, fee_types: 2, invoices: 0 });
  });
});
