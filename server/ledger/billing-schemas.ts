import { z } from 'zod';
import { id, isoDate, paging, booleanish, text } from '../http/schemas.ts';
import { UNIT_TYPES } from './fee-amount.ts';
import { isPeriod } from '../calendar/calendar.ts';

/** Money on the wire: a whole number of rupiah (no strings, no fractions), capped well below the safe range. */
export const amount = z.number({ error: 'Jumlah harus angka.' }).int('Jumlah harus bilangan bulat rupiah.').max(1_000_000_000_000, 'Jumlah terlalu besar.');
export const positiveAmount = amount.positive('Jumlah harus lebih dari 0.');

export const period = z.string().refine(isPeriod, 'Periode harus berformat YYYY-MM.');

const unitType = z.enum(UNIT_TYPES);
const vacantRule = z.union([
  z.enum(['charge', 'exempt']),
  z.object({ mode: z.enum(['charge', 'exempt']) }).strict(),
  z.object({ mode: z.literal('discount'), percent: z.number().gt(0).max(100).refine((n) => Number.isInteger(n * 100), 'Maksimal dua angka desimal.') }).strict(),
]);
const unitTypes = z.union([
  z.array(unitType).min(1).max(UNIT_TYPES.length),
  z.partialRecord(unitType, amount.min(0)).refine((m) => Object.keys(m).length > 0, 'Minimal satu jenis unit.'),
]);
const effectiveFrom = z.union([period, isoDate]);

export const feeTypeCreateBody = z.object({
  code: z.string().trim().min(1).max(32).regex(/^[A-Za-z0-9_-]+$/, 'Kode hanya huruf, angka, - dan _.'),
  name: text(120),
  amount: amount.min(0),
  basis: z.enum(['flat', 'per_m2']),
  unit_types: unitTypes.nullable().optional(),
  vacant_rule: vacantRule.optional(),
  effective_from: effectiveFrom.optional(),
}).strict();

export const feeTypePatchBody = feeTypeCreateBody.partial().strict().refine((b) => Object.keys(b).length > 0, 'Tidak ada perubahan.');

export const billingRunBody = z.object({
  period,
  due_date: isoDate.optional(),
  dry_run: z.boolean().optional(),
  /** Answer 202 at once and bill in the background; poll GET billing-runs/:id for progress. */
  background: z.boolean().optional(),
}).strict();

export const billingRunQuery = z.object({ period: period.optional(), ...paging });

export const chargeBody = z.object({
  name: text(120),
  amount: positiveAmount,
  period,
  due_date: isoDate,
  unit_ids: z.array(id).max(100_000).optional(),
}).strict();

export const invoiceListQuery = z.object({
  unit_id: id.optional(),
  period: period.optional(),
  status: z.enum(['unpaid', 'partial', 'paid', 'void']).optional(),
  ...paging,
});

export const reasonBody = z.object({ reason: text(500) }).strict();

export const creditNoteBody = z.object({ amount: positiveAmount, reason: text(500) }).strict();

export { booleanish };
