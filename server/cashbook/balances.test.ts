import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { periodDays as periodBounds } from '../calendar/calendar.ts';
import { lowestBalanceAfterWithdrawal, summarizeAccounts, type BalanceEntry } from './balances.ts';

const accounts = ['cash', 'bank', 'ewallet'];
const dateArb = fc
  .record({ m: fc.integer({ min: 1, max: 12 }), d: fc.integer({ min: 1, max: 28 }) })
  .map(({ m, d }) => `2026-${String(m).padStart(2, '0')}-${String(d).padStart(2, '0')}`);
const entryArb: fc.Arbitrary<BalanceEntry> = fc.record({
  account_id: fc.constantFrom(...accounts),
  direction: fc.constantFrom('in' as const, 'out' as const),
  amount: fc.integer({ min: 1, max: 50_000_000 }),
  entry_date: dateArb,
});

function signedSum(entries: BalanceEntry[], account: string, pred: (e: BalanceEntry) => boolean): number {
  return entries.filter((e) => e.account_id === account && pred(e)).reduce((s, e) => s + (e.direction === 'in' ? e.amount : -e.amount), 0);
}

describe('summarizeAccounts', () => {
  it('closing = opening + in − out, and equals every signed movement up to the end of the period', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 200 }), fc.integer({ min: 1, max: 12 }), (entries, month) => {
        const period = `2026-${String(month).padStart(2, '0')}`;
        const { from, to } = periodBounds(period);
        const summary = summarizeAccounts(accounts, entries, { from, to });
        for (const a of accounts) {
          const m = summary.get(a)!;
          expect(m.closing).toBe(m.opening + m.total_in - m.total_out);
          expect(m.opening).toBe(signedSum(entries, a, (e) => e.entry_date < from));
          expect(m.closing).toBe(signedSum(entries, a, (e) => e.entry_date <= to));
          expect(m.total_in).toBe(
            entries
              .filter((e) => e.account_id === a && e.direction === 'in' && e.entry_date >= from && e.entry_date <= to)
              .reduce((s, e) => s + e.amount, 0),
          );
        }
      }),
    );
  });

  it("one month's closing is the next month's opening", () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 200 }), fc.integer({ min: 1, max: 11 }), (entries, month) => {
        const a = periodBounds(`2026-${String(month).padStart(2, '0')}`);
        const b = periodBounds(`2026-${String(month + 1).padStart(2, '0')}`);
        const first = summarizeAccounts(accounts, entries, a);
        const second = summarizeAccounts(accounts, entries, b);
        for (const acc of accounts) expect(second.get(acc)!.opening).toBe(first.get(acc)!.closing);
      }),
    );
  });

  it('ignores entries of accounts it was not asked about', () => {
    const s = summarizeAccounts(['cash'], [{ account_id: 'other', direction: 'in', amount: 5, entry_date: '2026-01-01' }]);
    expect(s.get('cash')!.closing).toBe(0);
    expect(s.has('other')).toBe(false);
  });

  it('knows month lengths', () => {
    expect(periodBounds('2026-02')).toEqual({ from: '2026-02-01', to: '2026-02-28' });
    expect(periodBounds('2028-02').to).toBe('2028-02-29');
    expect(periodBounds('2026-12').to).toBe('2026-12-31');
  });
});

describe('lowestBalanceAfterWithdrawal', () => {
  it('is the balance at the end of the day minus the amount when nothing comes later', () => {
    expect(lowestBalanceAfterWithdrawal(100_000, [], 30_000)).toBe(70_000);
    expect(lowestBalanceAfterWithdrawal(100_000, [], 120_000)).toBe(-20_000);
  });

  it('finds a later dip: money taken out before a later withdrawal that needed it', () => {
    const later = [
      { direction: 'out' as const, amount: 60_000 },
      { direction: 'in' as const, amount: 500_000 },
    ];
    expect(lowestBalanceAfterWithdrawal(100_000, later, 50_000)).toBe(-10_000);
    expect(lowestBalanceAfterWithdrawal(100_000, later, 40_000)).toBe(0);
  });
});
