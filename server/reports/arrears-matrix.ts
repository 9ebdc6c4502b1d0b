import { displayPhone } from '../../shared/phone-display.ts';
import { billedOf, outstandingOf, type InvoiceFact } from './invoice-facts.ts';
import { MONTHS_SHORT_ID, periodsOfYear } from './period-names.ts';
import type { EstateHeader, ReportDocument, ReportRow } from './report-table.ts';

/**
 * Arrears (tunggakan) for a year: a units × months grid of what is still owed per month, and the list of units
 * that owe, with how many months and how much. Only units that owe are in the grid: the treasurer takes this sheet
 * to the people who have to pay. Pure: built from the units and the year's invoice facts.
 */
export type ArrearsSort = 'unit' | 'amount';

export interface ArrearsUnit {
  id: string;
  code: string;
  /** The owner, or the occupant when no owner lives there. */
  resident: string | null;
  /** That person's phone as stored (E.164). */
  phone?: string | null;
  /** A removed unit is listed only when it was billed in the year: its debts do not vanish with it. */
  deleted?: boolean;
}

export interface ArrearsGridRow {
  unit_id: string;
  code: string;
  resident: string | null;
  phone: string | null;
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
  sort: ArrearsSort;
  /** Units that owe anything, largest total first. */
  list: Array<{
    unit_id: string;
    code: string;
    resident: string | null;
    phone: string | null;
    months_owed: number;
    months: string[];
    total_outstanding: number;
  }>;
  /** Per month over every unit; null for a month nothing was billed in (not yet, or never), which is not "paid". */
  totals: { billed: (number | null)[]; outstanding: (number | null)[]; total_outstanding: number; units_in_arrears: number };
}

export function arrearsMatrix(
  year: number,
  units: ArrearsUnit[],
  invoices: Iterable<InvoiceFact>,
  sort: ArrearsSort = 'unit',
): ArrearsReport {
  const periods = periodsOfYear(year);
  const rows = new Map<string, ArrearsGridRow>();
  const rowOf = (u: ArrearsUnit) => {
    let row = rows.get(u.id);
    if (!row) {
      row = {
        unit_id: u.id,
        code: u.code,
        resident: u.resident,
        phone: u.phone ?? null,
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
    billed: Array(12).fill(null) as (number | null)[],
    outstanding: Array(12).fill(null) as (number | null)[],
    total_outstanding: 0,
    units_in_arrears: 0,
  };
  const removed = new Set(units.filter((u) => u.deleted).map((u) => u.id));
  const billedRows = [...rows.values()].filter((r) => !removed.has(r.unit_id) || r.billed.some((b) => b !== null));
  for (const row of billedRows) {
    for (let m = 0; m < 12; m++) {
      const owed = row.outstanding[m];
      if (owed === null) continue;
      totals.billed[m] = (totals.billed[m] ?? 0) + (row.billed[m] ?? 0);
      totals.outstanding[m] = (totals.outstanding[m] ?? 0) + owed;
      if (owed > 0) row.months_owed += 1;
      row.total_outstanding += owed;
    }
    totals.total_outstanding += row.total_outstanding;
    if (row.total_outstanding > 0) totals.units_in_arrears += 1;
  }
  const grid = billedRows.filter((r) => r.total_outstanding > 0);
  const byAmount = (a: ArrearsGridRow, b: ArrearsGridRow) => b.total_outstanding - a.total_outstanding || b.months_owed - a.months_owed;
  // The units arrive in natural order (A-2 before A-10); a stable sort keeps it among equal amounts.
  if (sort === 'amount') grid.sort(byAmount);
  const list = [...grid].sort(byAmount).map((r) => ({
    unit_id: r.unit_id,
    code: r.code,
    resident: r.resident,
    phone: r.phone,
    months_owed: r.months_owed,
    months: periods.filter((_, m) => (r.outstanding[m] ?? 0) > 0),
    total_outstanding: r.total_outstanding,
  }));
  return { year, periods, sort, grid, list, totals };
}

export function arrearsDocument(report: ArrearsReport, estate: EstateHeader, generatedAt: string): ReportDocument {
  const monthColumns = MONTHS_SHORT_ID.map((label, m) => ({ key: `m${m}`, header: label, kind: 'rupiah' as const, width: 12 }));
  const gridRows: ReportRow[] = report.grid.map((r) => {
    const cells: ReportRow['cells'] = { code: r.code, resident: r.resident ?? '', phone: displayPhone(r.phone) };
    for (let m = 0; m < 12; m++) cells[`m${m}`] = r.outstanding[m];
    cells.total = r.total_outstanding;
    return { cells };
  });
  const totalCells: ReportRow['cells'] = { code: 'Jumlah', resident: `${report.totals.units_in_arrears} unit`, phone: '' };
  // The total row adds up the listed units; a month none of them was billed in stays blank, not "lunas".
  for (let m = 0; m < 12; m++) {
    const billed = report.grid.filter((r) => r.outstanding[m] !== null);
    totalCells[`m${m}`] = billed.length ? billed.reduce((s, r) => s + (r.outstanding[m] ?? 0), 0) : null;
  }
  totalCells.total = report.totals.total_outstanding;
  gridRows.push({ cells: totalCells, emphasis: 'total' });

  const listRows: ReportRow[] = report.list.map((r, i) => ({
    cells: {
      no: i + 1,
      code: r.code,
      resident: r.resident ?? '',
      phone: displayPhone(r.phone),
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
      phone: '',
      months_owed: null,
      months: '',
      total: report.totals.total_outstanding,
    },
    emphasis: 'total',
  });

  return {
    filename: `tunggakan-${report.year}`,
    title: 'Laporan Tunggakan Iuran',
    subtitle: `Tahun ${report.year} · unit yang menunggak, ${report.sort === 'amount' ? 'tunggakan terbesar dahulu' : 'urut unit'} · kosong: tidak ditagih`,
    estate,
    generatedAt,
    tables: [
      {
        sheet: 'Per bulan',
        title: 'Tunggakan per unit per bulan',
        landscape: true,
        zeroText: 'lunas',
        emptyText: '',
        columns: [
          // Wide enough for "Jumlah" and a phone as 0811-2345-678 in the PDF. (Not 9: exceljs drops its default width.)
          { key: 'code', header: 'Unit', kind: 'text', width: 10 },
          { key: 'resident', header: 'Pemilik', kind: 'text', width: 18 },
          { key: 'phone', header: 'Telepon', kind: 'text', width: 17 },
          ...monthColumns,
          { key: 'total', header: 'Total', kind: 'rupiah', width: 13 },
        ],
        rows: gridRows,
      },
      {
        sheet: 'Daftar penunggak',
        title: 'Daftar unit yang menunggak',
        columns: [
          { key: 'no', header: 'No', kind: 'integer', width: 5 },
          { key: 'code', header: 'Unit', kind: 'text', width: 9 },
          { key: 'resident', header: 'Pemilik', kind: 'text', width: 24 },
          { key: 'phone', header: 'Telepon', kind: 'text', width: 15 },
          { key: 'months_owed', header: 'Bulan', kind: 'integer', width: 7 },
          { key: 'months', header: 'Bulan tertunggak', kind: 'text', width: 30 },
          { key: 'total', header: 'Total tunggakan', kind: 'rupiah', width: 17 },
        ],
        rows: listRows,
      },
    ],
  };
}
