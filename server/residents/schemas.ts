import { z } from 'zod';
import { booleanish, email, id, isoDate, nullable, optionalText, pageOf, paging, phone, text } from '../http/schemas.ts';

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

/** A resident with their current (or latest) unit link; the unit fields are null when they have none. */
export const residentResponse = z.object({
  id: z.string(),
  name: z.string(),
  phone: z.string().nullable(),
  email: z.string().nullable(),
  unit_id: z.string().nullable(),
  unit_code: z.string().nullable(),
  relation: z.enum(RELATIONS).nullable(),
  moved_in_on: z.string().nullable(),
  moved_out_on: z.string().nullable(),
  directory_opt_in: z.boolean(),
  notes: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
});
export const residentPageResponse = pageOf(residentResponse);

export type Resident = z.infer<typeof residentResponse>;
