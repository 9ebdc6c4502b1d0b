import { z } from 'zod';
import { id, optionalText, paging, phone, text, nullable } from '../http/schemas.ts';

export const PASS_KINDS = ['resident', 'guest', 'temporary'] as const;

/** Indonesian plates: B 1234 XYZ. Stored upper-case with single spaces so searching by plate finds every spelling. */
export const plate = z
  .string()
  .trim()
  .max(16, 'Nomor polisi terlalu panjang.')
  .transform((v) => v.toUpperCase().replace(/\s+/g, ' '))
  .refine((v) => /^[A-Z0-9 ]*$/.test(v), 'Nomor polisi hanya huruf dan angka.');

const isoDateTime = z.iso.datetime({ offset: true, message: 'Waktu harus berformat ISO-8601.' }).transform((v) => new Date(v).toISOString());

const passFields = {
  name: text(200),
  phone: nullable(phone),
  plate: nullable(plate),
  purpose: optionalText(200),
  people: z.number().int().min(1).max(100).default(1),
  valid_from: isoDateTime.optional(),
  valid_until: isoDateTime.optional(),
  max_uses: z.number().int().min(1).max(1000).nullable().optional(),
};

export const passCreateSchema = z.object({
  kind: z.enum(PASS_KINDS),
  unit_id: id,
  resident_id: id.optional(),
  ...passFields,
});
export type PassCreateInput = z.infer<typeof passCreateSchema>;

/** A resident registers guests and service visits for their own unit only; the unit comes from their membership. */
export const portalPassCreateSchema = z.object({
  kind: z.enum(['guest', 'temporary']).default('guest'),
  ...passFields,
});
export type PortalPassCreateInput = z.infer<typeof portalPassCreateSchema>;

export const vehiclePassSchema = z.object({ plate: plate.refine((v) => v.length >= 3, 'Nomor polisi wajib diisi.') });

export const passListQuery = z.object({
  kind: z.enum(PASS_KINDS).optional(),
  unit_id: id.optional(),
  q: z.string().trim().max(100).optional(),
  active: z.enum(['true', 'false']).optional(),
  ...paging,
});
export type PassListQuery = z.infer<typeof passListQuery>;

export const passIdParams = z.object({ estate_id: id, id });
