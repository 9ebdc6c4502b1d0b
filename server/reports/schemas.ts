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
