import { describe, expect, it } from 'vitest';
import { arrearsDocument, arrearsMatrix } from './arrears-matrix.ts';
import type { InvoiceFact } from './invoice-facts.ts';

const units = [
  { id: 'a1', code: 'A-1', resident: 'Budi', phone: '+628112345678' },
  { id: 'a2', code: 'A-2', resident: null },
  { id: 'a3', code: 'A-3', resident: 'Sari' },
  { id: 'gone', code: 'Z-9', resident: null, deleted: true },
];
const inv = (unit_id: string, period: string, total: number, paid = 0, extra: Partial<InvoiceFact> = {}): InvoiceFact => ({
  unit_id,
  period,
  total,
  paid,
  credited: 0,
  voided: false,
  ...extra,
});

describe('arrearsMatrix', () => {
  const report = arrearsMatrix(2026, units, [
    inv('a1', '2026-09', 150_000, 150_000),
    inv('a1', '2026-10', 150_000),
    inv('a1', '2026-11', 150_000, 50_000),
    inv('a1', '2026-11', 25_000), // a one-off charge in the same month adds to the cell
    inv('a2', '2026-11', 150_000, 150_000),
    inv('a3', '2026-11', 150_000, 0, { voided: true }),
    inv('a3', '2026-12', 150_000, 0, { credited: 150_000 }),
    inv('a1', '2025-12', 150_000), // another year: not in this grid
  ]);

  it('puts what is still owed in each month, 0 for paid and null for not billed', () => {
    const a1 = report.grid.find((r) => r.code === 'A-1')!;
    expect(a1.outstanding[9]).toBe(150_000);
    expect(a1.outstanding[10]).toBe(125_000);
    expect(a1.billed[10]).toBe(175_000);
    expect(a1.outstanding[0]).toBeNull();
    expect(a1.outstanding[8]).toBe(0);
    expect(a1.months_owed).toBe(2);
    expect(a1.total_outstanding).toBe(275_000);
  });

  it('lists in the grid only the units that owe, with owner and phone', () => {
    expect(report.grid.map((r) => [r.code, r.resident, r.phone])).toEqual([['A-1', 'Budi', '+628112345678']]);
  });

  it('treats a voided invoice as never billed and a fully credited one as settled', () => {
    const only = arrearsMatrix(2026, units, [
      inv('a3', '2026-11', 150_000, 0, { voided: true }),
      inv('a3', '2026-12', 150_000, 0, { credited: 150_000 }),
    ]);
    expect(only.grid).toEqual([]);
    expect(only.totals.outstanding[10]).toBeNull();
    expect(only.totals.outstanding[11]).toBe(0);
  });

  it('keeps months nobody was billed in blank in the totals, not 0', () => {
    expect(report.totals.outstanding[0]).toBeNull();
    expect(report.totals.billed[0]).toBeNull();
    expect(report.totals.outstanding[8]).toBe(0);
  });

  it('sorts the grid by unit (natural order as given) or by the amount owed', () => {
    const facts = [inv('a1', '2026-01', 10_000), inv('a2', '2026-01', 30_000), inv('a3', '2026-01', 20_000)];
    expect(arrearsMatrix(2026, units, facts).grid.map((r) => r.code)).toEqual(['A-1', 'A-2', 'A-3']);
    expect(arrearsMatrix(2026, units, facts, 'amount').grid.map((r) => r.code)).toEqual(['A-2', 'A-3', 'A-1']);
  });

  it('lists only units that owe, largest first, and totals per month', () => {
    expect(report.list.map((r) => r.code)).toEqual(['A-1']);
    expect(report.list[0].months).toEqual(['2026-10', '2026-11']);
    expect(report.totals.outstanding[10]).toBe(125_000);
    expect(report.totals.total_outstanding).toBe(275_000);
    expect(report.totals.units_in_arrears).toBe(1);
  });

  it('drops a removed unit that was not billed in the year', () => {
    expect(report.grid.some((r) => r.code === 'Z-9')).toBe(false);
    const withDebt = arrearsMatrix(2026, units, [inv('gone', '2026-01', 10_000)]);
    expect(withDebt.grid.find((r) => r.code === 'Z-9')!.total_outstanding).toBe(10_000);
  });

  it('renders a grid table with one row per unit that owes plus a total row; unbilled months are blank', () => {
    const doc = arrearsDocument(report, { name: 'Griya', address: null, rt: null, rw: null }, 'now');
    const [grid, list] = doc.tables;
    expect(grid.columns.map((c) => c.key).slice(0, 4)).toEqual(['code', 'resident', 'phone', 'm0']);
    expect(grid.columns).toHaveLength(16);
    expect(grid.emptyText).toBe('');
    expect(grid.rows).toHaveLength(report.grid.length + 1);
    expect(grid.rows[0].cells).toMatchObject({ code: 'A-1', resident: 'Budi', phone: '0811-2345-678', m0: null, m8: 0 });
    const total = grid.rows.at(-1)!.cells;
    expect(total).toMatchObject({ total: 275_000, m0: null, m8: 0, m9: 150_000, m11: null });
    expect(list.rows[0].cells).toMatchObject({ months: 'Okt, Nov', phone: '0811-2345-678', resident: 'Budi' });
  });
});
