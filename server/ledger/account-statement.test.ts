import { describe, expect, it } from 'vitest';
import { buildStatement, type StatementFact, type StatementKind } from './account-statement.ts';

const fact = (kind: StatementKind, date: string, amount: number, id = `${kind}-${date}`): StatementFact => ({
  kind,
  date,
  amount,
  id,
  recorded_at: `${date}T01:00:00Z`,
  invoice_id: null,
  payment_id: null,
  number: null,
  receipt_number: null,
  period: null,
  note: null,
  overdue: false,
});

describe('buildStatement', () => {
  const facts = [
    fact('payment', '2026-11-05', -150_000),
    fact('invoice', '2026-10-01', 100_000),
    fact('invoice', '2026-11-01', 100_000),
    fact('reversal', '2026-11-20', 150_000),
    fact('payment', '2026-11-01', -50_000),
  ];

  it('orders by day, a bill before what settles it on the same day, and carries the balance line by line', () => {
    const s = buildStatement(facts, {});
    expect(s.lines.map((l) => [l.kind, l.date, l.balance])).toEqual([
      ['invoice', '2026-10-01', 100_000],
      ['invoice', '2026-11-01', 200_000],
      ['payment', '2026-11-01', 150_000],
      ['payment', '2026-11-05', 0],
      ['reversal', '2026-11-20', 150_000],
    ]);
    expect(s).toMatchObject({ opening_balance: 0, closing_balance: 150_000, total_debit: 350_000, total_credit: 200_000 });
  });

  it('on one day, bills first and everything else in the order it was recorded', () => {
    const at = (f: StatementFact, time: string) => ({ ...f, recorded_at: `2026-11-03T${time}Z` });
    const s = buildStatement(
      [
        at(fact('refund', '2026-11-03', 10_000), '09:00:00'),
        at(fact('reversal', '2026-11-03', 30_000), '08:00:00'),
        at(fact('payment', '2026-11-03', -30_000), '07:00:00'),
        at(fact('invoice', '2026-11-03', 100_000), '10:00:00'),
      ],
      {},
    );
    expect(s.lines.map((l) => [l.kind, l.balance])).toEqual([
      ['invoice', 100_000],
      ['payment', 70_000],
      ['reversal', 100_000],
      ['refund', 110_000],
    ]);
  });

  it('folds facts before the range into the opening balance and leaves out facts after it', () => {
    const s = buildStatement(facts, { from: '2026-11-01', to: '2026-11-10' });
    expect(s.opening_balance).toBe(100_000);
    expect(s.lines.map((l) => l.date)).toEqual(['2026-11-01', '2026-11-01', '2026-11-05']);
    expect(s).toMatchObject({ closing_balance: 0, total_debit: 100_000, total_credit: 200_000 });
  });
});
