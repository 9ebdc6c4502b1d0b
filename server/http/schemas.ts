import { z } from 'zod';
import { normalizePhone } from '../residents/phone.ts';

/** Schema pieces shared by every bounded context. */
export const text = (max: number) => z.string().trim().min(1, 'Wajib diisi.').max(max, `Maksimal ${max} karakter.`);
export const optionalText = (max: number) =>
  z.preprocess(
    (v) => (typeof v === 'string' && v.trim() === '' ? null : v),
    z.string().trim().max(max, `Maksimal ${max} karakter.`).nullable().optional(),
  );

export const id = z.string().uuid('Id tidak sah.');
export const idParams = z.object({ estate_id: id, id: z.string().max(64) });
export const estateParams = z.object({ estate_id: id });

export const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'Tanggal harus berformat YYYY-MM-DD.')
  .refine((s) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
  }, 'Tanggal tidak sah.');

export const phone = z
  .string()
  .trim()
  .max(32, 'Nomor telepon terlalu panjang.')
  .transform((v, ctx) => {
    const normalized = normalizePhone(v);
    if (!normalized) {
      ctx.addIssue({ code: 'custom', message: 'Nomor telepon tidak sah (contoh: 0812-3456-7890).' });
      return z.NEVER;
    }
    return normalized;
  });

export const email = z.string().trim().toLowerCase().max(254).email('Alamat email tidak sah.');

export const nullable = <T extends z.ZodType>(schema: T) => z.preprocess((v) => (v === '' ? null : v), schema.nullable().optional());

export const paging = {
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
};

export const booleanish = z.preprocess((v) => (v === 'true' || v === '1' ? true : v === 'false' || v === '0' ? false : v), z.boolean());

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = z.string().trim().max(64).refine(isValidTimeZone, 'Zona waktu tidak dikenal.');

/** A page of a list as every paged route answers it. */
export const pageOf = <T extends z.ZodType>(item: T) =>
  z.object({ items: z.array(item), total: z.number().int(), limit: z.number().int(), offset: z.number().int() });

/** A list answered whole, without paging. */
export const itemsOf = <T extends z.ZodType>(item: T) => z.object({ items: z.array(item) });
