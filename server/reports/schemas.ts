import { z } from 'zod';
import { id } from '../http/schemas.ts';

const format = z.enum(['json', 'xlsx', 'pdf'], { error: 'Format harus json, xlsx atau pdf.' }).default('json');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Periode harus berformat YYYY-MM.');
const year = z.coerce
  .number({ error: 'Tahun harus angka.' })
  .int('Tahun harus bilangan bulat.')
  .min(2000, 'Tahun di luar jangkauan.')
  .max(2100, 'Tahun di luar jangkauan.');

export const monthlyReportQuery = z.object({ period, format });
export const yearReportQuery = z.object({ year, format });
export const arrearsQuery = yearReportQuery.extend({
  sort: z.enum(['unit', 'amount'], { error: 'Urutan harus unit atau amount.' }).default('unit'),
});
export const paymentHistoryQuery = z.object({ unit_id: id, format });
export const accountCardReportQuery = z.object({ unit_id: id, from: period.optional(), to: period.optional(), format });

// The JSON form of each report (`format=json`, what the screen shows); the .xlsx and PDF forms are files.
const rupiahOut = z.number().int();
const direction = z.enum(['in', 'out']);

const categoryAmount = z.object({ category: z.string(), label: z.string(), amount: rupiahOut });
const monthlySection = z.object({
  opening: rupiahOut,
  receipts: z.array(categoryAmount),
  spending: z.array(categoryAmount),
  total_receipts: rupiahOut,
  total_spending: rupiahOut,
  closing: rupiahOut,
});

export const monthlyReportResponse = z.object({
  period: z.string(),
  from: z.string(),
  to: z.string(),
  accounts: z.array(monthlySection.extend({ account_id: z.string(), name: z.string(), kind: z.string() })),
  /** All accounts together; transfers between the estate's own accounts cancel out. */
  total: monthlySection,
  transactions: z.array(
    z.object({
      entry_date: z.string(),
      account_id: z.string(),
      account: z.string(),
      category: z.string(),
      label: z.string(),
      description: z.string(),
      direction,
      amount: rupiahOut,
    }),
  ),
});

/** Per month, January first; null for a month nothing was billed in, which is not "paid". */
const perMonth = z.array(rupiahOut.nullable());

export const arrearsReportResponse = z.object({
  year: z.number().int(),
  periods: z.array(z.string()),
  grid: z.array(
    z.object({
      unit_id: z.string(),
      code: z.string(),
      resident: z.string().nullable(),
      phone: z.string().nullable(),
      billed: perMonth,
      outstanding: perMonth,
      months_owed: z.number().int(),
      total_outstanding: rupiahOut,
    }),
  ),
  sort: z.enum(['unit', 'amount']),
  list: z.array(
    z.object({
      unit_id: z.string(),
      code: z.string(),
      resident: z.string().nullable(),
      phone: z.string().nullable(),
      months_owed: z.number().int(),
      months: z.array(z.string()),
      total_outstanding: rupiahOut,
    }),
  ),
  totals: z.object({ billed: perMonth, outstanding: perMonth, total_outstanding: rupiahOut, units_in_arrears: z.number().int() }),
});

export const collectionReportResponse = z.object({
  year: z.number().int(),
  months: z.array(
    z.object({
      period: z.string(),
      invoices: z.number().int(),
      billed: rupiahOut,
      collected: rupiahOut,
      outstanding: rupiahOut,
      /** Collected over billed, 0–1 to four decimals; null when nothing was billed. */
      rate: z.number().nullable(),
    }),
  ),
});

export const paymentHistoryResponse = z.object({
  unit: z.object({ id: z.string(), code: z.string(), resident: z.string().nullable() }),
  payments: z.array(
    z.object({
      id: z.string(),
      number: z.string(),
      amount: rupiahOut,
      method: z.string(),
      paid_at: z.string(),
      reference: z.string().nullable(),
      source: z.string(),
      allocations: z.array(z.object({ invoice_number: z.string(), period: z.string(), amount: rupiahOut })),
      /** Paid beyond the invoices it settled: went to the unit's credit. */
      to_credit: rupiahOut,
      reversed: z.object({ reason: z.string(), at: z.string() }).nullable(),
    }),
  ),
  total_paid: rupiahOut,
  credit: rupiahOut,
  outstanding: rupiahOut,
});
