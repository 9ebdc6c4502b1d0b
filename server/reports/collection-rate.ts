import { billedOf, collectedOf, outstandingOf, type InvoiceFact } from './invoice-facts.ts';
import { periodLabel } from './period-names.ts';
import type { EstateHeader, ReportDocument } from './report-table.ts';

/**
 * Collection rate per month: of what the month's invoices billed, how much has been paid so far. `rate` is a
 * fraction (0…1) rounded to four places, null when nothing was billed; it is a ratio, never money.
 */
export interface CollectionMonth {
  period: string;
  invoices: number;
  billed: number;
  collected: number;
  outstanding: number;
  rate: number | null;
}

export function collectionByMonth(periods: string[], invoices: Iterable<InvoiceFact>): CollectionMonth[] {
  const byPeriod = new Map(
    periods.map((p) => [p, { period: p, invoices: 0, billed: 0, collected: 0, outstanding: 0, rate: null as number | null }]),
  );
  for (const inv of invoices) {
    const m = byPeriod.get(inv.period);
    if (!m || inv.voided) continue;
    m.invoices += 1;
    m.billed += billedOf(inv);
    m.collected += collectedOf(inv);
    m.outstanding += outstandingOf(inv);
  }
  const months = [...byPeriod.values()];
  for (const m of months) m.rate = m.billed > 0 ? Math.round((m.collected / m.billed) * 10_000) / 10_000 : null;
  return months;
}

export function collectionDocument(year: number, months: CollectionMonth[], estate: EstateHeader, generatedAt: string): ReportDocument {
  const billed = months.reduce((s, m) => s + m.billed, 0);
  const collected = months.reduce((s, m) => s + m.collected, 0);
  return {
    filename: `tingkat-penagihan-${year}`,
    title: 'Tingkat Penagihan Iuran',
    subtitle: `Tahun ${year}`,
    estate,
    generatedAt,
    tables: [
      {
        sheet: 'Per bulan',
        title: 'Ditagihkan dan terkumpul per bulan',
        columns: [
          { key: 'month', header: 'Bulan', kind: 'text', width: 18 },
          { key: 'invoices', header: 'Tagihan', kind: 'integer', width: 10 },
          { key: 'billed', header: 'Ditagihkan', kind: 'rupiah', width: 18 },
          { key: 'collected', header: 'Terkumpul', kind: 'rupiah', width: 18 },
          { key: 'outstanding', header: 'Sisa', kind: 'rupiah', width: 18 },
          { key: 'rate', header: 'Persentase', kind: 'percent', width: 12 },
        ],
        rows: [
          ...months.map((m) => ({
            cells: {
              month: periodLabel(m.period),
              invoices: m.invoices,
              billed: m.billed,
              collected: m.collected,
              outstanding: m.outstanding,
              rate: m.rate,
            },
          })),
          {
            cells: {
              month: 'Jumlah',
              invoices: months.reduce((s, m) => s + m.invoices, 0),
              billed,
              collected,
              outstanding: months.reduce((s, m) => s + m.outstanding, 0),
              rate: billed > 0 ? Math.round((collected / billed) * 10_000) / 10_000 : null,
            },
            emphasis: 'total' as const,
          },
        ],
      },
    ],
  };
}
