import { describe, expect, it } from 'vitest';
import { arrearsDocument, arrearsMatrix } from './arrears-matrix.ts';
import type { InvoiceFact } from './invoice-facts.ts';

const units = [
  { id: 'a1', code: 'A-1', resident: 'Budi' },
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
    expect(a1.months_owed).toBe(2);
    expect(a1.total_outstanding).toBe(275_000);
    expect(report.grid.find((r) => r.code === 'A-2')!.outstanding[10]).toBe(0);
  });

  it('treats a voided invoice as never billed and a fully credited one as settled', () => {
    const a3 = report.grid.find((r) => r.code === 'A-3')!;
    expect(a3.outstanding[10]).toBeNull();
    expect(a3.outstanding[11]).toBe(0);
    expect(a3.total_outstanding).toBe(0);
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

  it('renders a grid table with one row per unit plus a total row', () => {
    const doc = arrearsDocument(report, { name: 'Griya', address: null, rt: null, rw: null }, 'now');
    const [grid, list] = doc.tables;
    expect(grid.columns).toHaveLength(14);
    expect(grid.rows).toHaveLength(report.grid.length + 1);
    expect(grid.rows.at(-1)!.cells.total).toBe(275_000);
    expect(list.rows[0].cells.months).toBe('Okt, Nov');
  });
});
