import { billedOf, outstandingOf, type InvoiceFact } from './invoice-facts.ts';
import { MONTHS_SHORT_ID, periodsOfYear } from './period-names.ts';
import type { EstateHeader, ReportDocument, ReportRow } from './report-table.ts';

/**
 * Arrears (tunggakan) for a year: a units × months grid of what is still owed per month, and the list of units
 * that owe, with how many months and how much. Pure: built from the units and the year's invoice facts.
 */
export interface ArrearsUnit {
  id: string;
  code: string;
  resident: string | null;
  /** A removed unit is listed only when it was billed in the year: its debts do not vanish with it. */
  deleted?: boolean;
}

export interface ArrearsGridRow {
  unit_id: string;
  code: string;
  resident: string | null;
  /** Per month (January first): billed in that month's invoices, null when nothing was billed. */
  billed: (number | null)[];
  /** Per month: still owed, null when nothing was billed (0 = paid in full). */
  outstanding: (number | null)[];
  months_owed: number;
  total_outstanding: number;
}

export interface ArrearsReport {
  year: number;
  periods: string[];
  grid: ArrearsGridRow[];
  /** Units that owe anything, largest total first. */
  list: Array<{ unit_id: string; code: string; resident: string | null; months_owed: number; months: string[]; total_outstanding: number }>;
  totals: { billed: number[]; outstanding: number[]; total_outstanding: number; units_in_arrears: number };
}

export function arrearsMatrix(year: number, units: ArrearsUnit[], invoices: Iterable<InvoiceFact>): ArrearsReport {
  const periods = periodsOfYear(year);
  const rows = new Map<string, ArrearsGridRow>();
  const rowOf = (u: ArrearsUnit) => {
    let row = rows.get(u.id);
    if (!row) {
      row = {
        unit_id: u.id,
        code: u.code,
        resident: u.resident,
        billed: Array(12).fill(null),
        outstanding: Array(12).fill(null),
        months_owed: 0,
        total_outstanding: 0,
      };
      rows.set(u.id, row);
    }
    return row;
  };
  for (const u of units) rowOf(u);
  for (const inv of invoices) {
    const month = Number(inv.period.slice(5, 7)) - 1;
    if (inv.period.slice(0, 4) !== String(year) || month < 0 || month > 11 || inv.voided) continue;
    const row = rows.get(inv.unit_id);
    if (!row) continue;
    row.billed[month] = (row.billed[month] ?? 0) + billedOf(inv);
    row.outstanding[month] = (row.outstanding[month] ?? 0) + outstandingOf(inv);
  }
  const totals = {
    billed: Array(12).fill(0) as number[],
    outstanding: Array(12).fill(0) as number[],
    total_outstanding: 0,
    units_in_arrears: 0,
  };
  const removed = new Set(units.filter((u) => u.deleted).map((u) => u.id));
  const grid = [...rows.values()].filter((r) => !removed.has(r.unit_id) || r.billed.some((b) => b !== null));
  for (const row of grid) {
    for (let m = 0; m < 12; m++) {
      const owed = row.outstanding[m];
      totals.billed[m] += row.billed[m] ?? 0;
      if (owed === null) continue;
      totals.outstanding[m] += owed;
      if (owed > 0) row.months_owed += 1;
      row.total_outstanding += owed;
    }
    totals.total_outstanding += row.total_outstanding;
    if (row.total_outstanding > 0) totals.units_in_arrears += 1;
  }
  const list = grid
    .filter((r) => r.total_outstanding > 0)
    .map((r) => ({
      unit_id: r.unit_id,
      code: r.code,
      resident: r.resident,
      months_owed: r.months_owed,
      months: periods.filter((_, m) => (r.outstanding[m] ?? 0) > 0),
      total_outstanding: r.total_outstanding,
    }))
    .sort((a, b) => b.total_outstanding - a.total_outstanding || b.months_owed - a.months_owed);
  return { year, periods, grid, list, totals };
}

export function arrearsDocument(report: ArrearsReport, estate: EstateHeader, generatedAt: string): ReportDocument {
  const monthColumns = MONTHS_SHORT_ID.map((label, m) => ({ key: `m${m}`, header: label, kind: 'rupiah' as const, width: 11 }));
  const gridRows: ReportRow[] = report.grid.map((r) => {
    const cells: ReportRow['cells'] = { code: r.code };
    for (let m = 0; m < 12; m++) cells[`m${m}`] = r.outstanding[m];
    cells.total = r.total_outstanding;
    return { cells };
  });
  const totalCells: ReportRow['cells'] = { code: 'Jumlah' };
  for (let m = 0; m < 12; m++) totalCells[`m${m}`] = report.totals.outstanding[m];
  totalCells.total = report.totals.total_outstanding;
  gridRows.push({ cells: totalCells, emphasis: 'total' });

  const listRows: ReportRow[] = report.list.map((r, i) => ({
    cells: {
      no: i + 1,
      code: r.code,
      resident: r.resident ?? '',
      months_owed: r.months_owed,
      months: r.months.map((p) => MONTHS_SHORT_ID[Number(p.slice(5, 7)) - 1]).join(', '),
      total: r.total_outstanding,
    },
  }));
  listRows.push({
    cells: {
      no: null,
      code: 'Jumlah',
      resident: `${report.totals.units_in_arrears} unit`,
      months_owed: null,
      months: '',
      total: report.totals.total_outstanding,
    },
    emphasis: 'total',
  });

  return {
    filename: `tunggakan-${report.year}`,
    title: 'Laporan Tunggakan Iuran',
    subtitle: `Tahun ${report.year} · sisa tagihan per bulan (- : tidak ditagih)`,
    estate,
    generatedAt,
    tables: [
      {
        sheet: 'Per bulan',
        title: 'Tunggakan per unit per bulan',
        landscape: true,
        zeroText: 'lunas',
        emptyText: '-',
        columns: [
          { key: 'code', header: 'Unit', kind: 'text', width: 10 },
          ...monthColumns,
          { key: 'total', header: 'Total', kind: 'rupiah', width: 14 },
        ],
        rows: gridRows,
      },
      {
        sheet: 'Daftar penunggak',
        title: 'Daftar unit yang menunggak',
        columns: [
          { key: 'no', header: 'No', kind: 'integer', width: 6 },
          { key: 'code', header: 'Unit', kind: 'text', width: 10 },
          { key: 'resident', header: 'Warga', kind: 'text', width: 26 },
          { key: 'months_owed', header: 'Bulan', kind: 'integer', width: 8 },
          { key: 'months', header: 'Bulan tertunggak', kind: 'text', width: 40 },
          { key: 'total', header: 'Total tunggakan', kind: 'rupiah', width: 18 },
        ],
        rows: listRows,
      },
    ],
  };
}
