import type { Cell, ColumnKind, ReportTable } from './report-table.ts';

/** How a cell reads on paper (PDF). The .xlsx keeps real numbers and lets the number format do this. */
const grouped = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 });
const percent = new Intl.NumberFormat('id-ID', { style: 'percent', minimumFractionDigits: 1, maximumFractionDigits: 1 });

export function cellText(value: Cell, kind: ColumnKind, table: Pick<ReportTable, 'zeroText' | 'emptyText'>, withSymbol: boolean): string {
  if (value === null || value === '') return table.emptyText ?? '';
  if (typeof value === 'string') return value;
  switch (kind) {
    case 'rupiah':
      if (value === 0 && table.zeroText) return table.zeroText;
      return `${value < 0 ? '-' : ''}${withSymbol ? 'Rp ' : ''}${grouped.format(Math.abs(value))}`;
    case 'percent':
      return percent.format(value).replace(/\u00a0/g, ' ');
    case 'integer':
      return grouped.format(value);
    default:
      return String(value);
  }
}

/** Excel number formats: rupiah as "Rp 1.500.000" in an Indonesian LibreOffice/Excel (grouping follows the locale). */
export function numberFormat(kind: ColumnKind, zeroText?: string): string | undefined {
  switch (kind) {
    case 'rupiah':
      return `"Rp "#,##0;-"Rp "#,##0;${zeroText ? `"${zeroText}"` : '"Rp "0'}`;
    case 'percent':
      return '0.0%';
    case 'integer':
      return '#,##0';
    default:
      return undefined;
  }
}
