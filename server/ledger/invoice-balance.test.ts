import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { outstandingOf, outstandingSql, statusOf, statusSql, type InvoiceSums } from './invoice-balance.ts';

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
});
