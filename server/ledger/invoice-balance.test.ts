import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  outstandingOf,
  outstandingSql,
  overflowByAllocation,
  overflowOf,
  paidOf,
  statusOf,
  statusSql,
  type InvoiceSums,
} from './invoice-balance.ts';

// The SQL the invoice list filters on and the JS the API and reports answer with must be one rule: evaluate both
// over every combination of sums, including the edges (exactly paid, overpaid, credited in full, voided after payment).
const totals = [0, 100_000];
const amounts = [-50_000, 0, 40_000, 60_000, 100_000, 150_000];
const cases: InvoiceSums[] = [];
for (const total of totals)
  for (const paid of amounts)
    for (const credited of [0, 40_000, 100_000])
      for (const voided of [false, true]) {
        cases.push({ total, paid, credited, voided });
      }

describe('invoice balance rule', () => {
  it('gives the same status and outstanding in SQL as in JS', () => {
    const db = new Database(':memory:');
    db.exec('create table b (n integer, total integer, paid integer, credited integer, voided_at text)');
    const insert = db.prepare('insert into b values (?, ?, ?, ?, ?)');
    cases.forEach((c, n) => insert.run(n, c.total, c.paid, c.credited, c.voided ? '2026-11-30T00:00:00.000Z' : null));
    const rows = db
      .prepare(`select n, ${statusSql('b')} as status, ${outstandingSql('b')} as outstanding from b order by n`)
      .all() as Array<{ n: number; status: string; outstanding: number }>;
    expect(rows.map((r) => ({ ...cases[r.n], status: r.status, outstanding: r.outstanding }))).toEqual(
      cases.map((c) => ({ ...c, status: statusOf(c), outstanding: outstandingOf(c) })),
    );
    db.close();
  });

  it('reads the states the ledger produces', () => {
    expect(statusOf({ total: 150_000, paid: 0, credited: 0, voided: false })).toBe('unpaid');
    expect(statusOf({ total: 150_000, paid: 50_000, credited: 0, voided: false })).toBe('partial');
    expect(statusOf({ total: 150_000, paid: 0, credited: 40_000, voided: false })).toBe('partial');
    expect(statusOf({ total: 150_000, paid: 100_000, credited: 50_000, voided: false })).toBe('paid');
    expect(statusOf({ total: 150_000, paid: 0, credited: 0, voided: true })).toBe('void');
    expect(outstandingOf({ total: 150_000, paid: 60_000, credited: 0, voided: true })).toBe(0);
  });

  it('counts allocations beyond what an invoice bills as overflow (the unit credit), never as paid', () => {
    // Paid in cash at the office and online on the hosted instance while apart.
    const twice = { total: 150_000, paid: 300_000, credited: 0, voided: false };
    expect([overflowOf(twice), paidOf(twice), outstandingOf(twice), statusOf(twice)]).toEqual([150_000, 150_000, 0, 'paid']);
    const credited = { total: 150_000, paid: 150_000, credited: 50_000, voided: false };
    expect([overflowOf(credited), paidOf(credited)]).toEqual([50_000, 100_000]);
    // Arrived after the other site voided the invoice: all of it is credit.
    expect(overflowOf({ total: 150_000, paid: 150_000, credited: 0, voided: true })).toBe(150_000);
    for (const c of cases) {
      expect(overflowOf(c) + paidOf(c)).toBe(c.paid);
      expect(overflowOf(c)).toBeGreaterThanOrEqual(0);
    }
  });

  it('names the allocations past the billed amount by id order, whatever order they are given in', () => {
    const sums = { total: 150_000, paid: 250_000, credited: 0, voided: false };
    const allocations = [
      { allocation_id: '0193-c', amount: 100_000 },
      { allocation_id: '0193-a', amount: 100_000 },
      { allocation_id: '0193-b', amount: 50_000 },
    ];
    const expected = [
      { allocation_id: '0193-b', amount: 50_000, excess: 0 },
      { allocation_id: '0193-c', amount: 100_000, excess: 100_000 },
    ].filter((a) => a.excess > 0);
    expect(overflowByAllocation(sums, allocations)).toEqual(expected);
    expect(overflowByAllocation(sums, [...allocations].reverse())).toEqual(expected);
    expect(overflowByAllocation({ ...sums, paid: 150_000 }, allocations.slice(1))).toEqual([]);
  });
});
