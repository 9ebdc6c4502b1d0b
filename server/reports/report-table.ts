/**
 * The one shape every report is rendered from: a document of titled tables. The screen gets the report's own JSON;
 * the .xlsx and PDF writers only ever see this, so a new report needs a `to…Document` function and nothing else.
 */
export type ColumnKind = 'text' | 'rupiah' | 'integer' | 'percent';

export interface ReportColumn {
  key: string;
  header: string;
  kind: ColumnKind;
  /** Width in characters (xlsx); the PDF scales the widths to the page. */
  width: number;
}

export type Cell = string | number | null;

export interface ReportRow {
  cells: Record<string, Cell>;
  /** Totals and section headings are set in bold. */
  emphasis?: 'total' | 'section';
}

export interface ReportTable {
  /** Worksheet name: at most 31 characters, none of []:*?/\ (Excel's rules). */
  sheet: string;
  title: string;
  columns: ReportColumn[];
  rows: ReportRow[];
  /** Printed on A4 landscape when the table is wide (the arrears grid). */
  landscape?: boolean;
  /** How a rupiah cell of 0 reads, e.g. "lunas" in the arrears grid; default "Rp 0". */
  zeroText?: string;
  /** How an empty cell reads in the PDF; default "". */
  emptyText?: string;
}

export interface EstateHeader {
  name: string;
  address: string | null;
  rt: string | null;
  rw: string | null;
}

export interface ReportDocument {
  /** File name without extension, e.g. `laporan-keuangan-2026-11`. */
  filename: string;
  title: string;
  subtitle: string;
  estate: EstateHeader;
  /** Shown in the footer, already formatted in the estate's time zone. */
  generatedAt: string;
  tables: ReportTable[];
  /** Signature blocks side by side after the last table of the PDF, each with a blank line for the name. */
  signatures?: SignatureBlock[];
}

export interface SignatureBlock {
  /** The line above the role, e.g. "Mengetahui,"; empty for none. */
  above: string;
  role: string;
}

export function estateHeaderOf(row: Record<string, unknown>): EstateHeader {
  return {
    name: String(row.name ?? ''),
    address: (row.address as string | null) ?? null,
    rt: (row.rt as string | null) ?? null,
    rw: (row.rw as string | null) ?? null,
  };
}

/** "Jl. Melati Raya, Bekasi · RT 003 / RW 011" */
export function estateAddressLine(estate: EstateHeader): string {
  const rtRw = [estate.rt ? `RT ${estate.rt}` : null, estate.rw ? `RW ${estate.rw}` : null].filter(Boolean).join(' / ');
  return [estate.address, rtRw].filter(Boolean).join(' · ');
}
