import { z } from 'zod';
import { booleanish, email, id, isoDate, nullable, optionalText, paging, phone, text } from '../http/schemas.ts';

export const RELATIONS = ['owner', 'tenant', 'family'] as const;

export const residentCreateBody = z.object({
  name: text(200),
  phone: nullable(phone),
  email: nullable(email),
  unit_id: nullable(id),
  relation: z.enum(RELATIONS).optional(),
  moved_in_on: nullable(isoDate),
  directory_opt_in: z.boolean().default(false),
  notes: optionalText(2000),
});

export const residentPatchBody = z
  .object({
    name: text(200),
    phone: nullable(phone),
    email: nullable(email),
    unit_id: nullable(id),
    relation: z.enum(RELATIONS),
    moved_in_on: nullable(isoDate),
    moved_out_on: nullable(isoDate),
    directory_opt_in: z.boolean(),
    notes: optionalText(2000),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Tidak ada yang diubah.');

export const residentListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  unit_id: id.optional(),
  relation: z.enum(RELATIONS).optional(),
  include_moved_out: booleanish.default(false),
  ...paging,
});

export type ResidentCreate = z.infer<typeof residentCreateBody>;
export type ResidentPatch = z.infer<typeof residentPatchBody>;
export type ResidentListQuery = z.infer<typeof residentListQuery>;
