import { z } from 'zod';
import { id, isoDate, optionalText, paging, text } from '../http/schemas.ts';
import { CATEGORY_PATTERN, SYSTEM_CATEGORIES } from './categories.ts';

const amount = z.number({ error: 'Jumlah harus angka rupiah bulat.' }).int('Jumlah harus rupiah bulat.').positive('Jumlah harus lebih dari 0.').max(1e13, 'Jumlah terlalu besar.');
const period = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'Periode harus berformat YYYY-MM.');

export const accountCreateSchema = z
  .object({
    name: text(120),
    kind: z.enum(['cash', 'bank', 'ewallet']),
    institution: optionalText(120),
    account_number: optionalText(60),
    opening_balance: z.number().int().min(0).max(1e13).optional(),
    opening_date: isoDate.optional(),
  })
  .strict();

export const entryCreateSchema = z
  .object({
    account_id: id,
    direction: z.enum(['in', 'out']),
    amount,
    category: z
      .string()
      .regex(CATEGORY_PATTERN, 'Kategori: huruf kecil, angka dan garis bawah.')
      .refine((c) => !(SYSTEM_CATEGORIES as readonly string[]).includes(c), 'Kategori ini hanya dipakai sistem.'),
    entry_date: isoDate,
    description: text(500),
    proof_number: optionalText(80),
  })
  .strict();

export const entryListQuery = z.object({
  account_id: id.optional(),
  category: z.string().max(40).optional(),
  direction: z.enum(['in', 'out']).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  ...paging,
});

export const entryReverseSchema = z.object({ reason: text(500), entry_date: isoDate.optional() }).strict();

export const transferCreateSchema = z
  .object({
    from_account_id: id,
    to_account_id: id,
    amount,
    entry_date: isoDate,
    description: optionalText(500),
    proof_number: optionalText(80),
  })
  .strict()
  .refine((t) => t.from_account_id !== t.to_account_id, { message: 'Akun asal dan tujuan harus berbeda.', path: ['to_account_id'] });

export const closeSchema = z.object({ period }).strict();
export const reopenSchema = z.object({ period, reason: text(500) }).strict();
export const accountsQuery = z.object({ period: period.optional() });
