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

const isoDateTime = z.iso
  .datetime({ offset: true, message: 'Waktu harus berformat ISO-8601.' })
  .transform((v) => new Date(v).toISOString());

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

/** A resident registers guests and service visits only for a unit they live in (residency/), never another's. */
export const portalPassCreateSchema = z.object({
  kind: z.enum(['guest', 'temporary']).default('guest'),
  /** One of the units the resident lives in; their first when omitted. */
  unit_id: id.optional(),
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

const credential = (what: string) => `${what}; only for the office (passes.write) and the pass's own unit, never for the guard post`;

/** A pass as the API answers it. The guard post (guard role, kiosk device) gets the same object without the optional fields. */
export const passResponse = z.object({
  id: z.string(),
  kind: z.enum(PASS_KINDS),
  unit_id: z.string(),
  unit_code: z.string(),
  name: z.string(),
  plate: z.string().nullable(),
  purpose: z.string().nullable(),
  people: z.number().int(),
  valid_from: z.string(),
  valid_until: z.string(),
  max_uses: z.number().int().nullable(),
  uses: z.number().int(),
  status: z.string(),
  revoked_at: z.string().nullable(),
  revoked_reason: z.string().nullable(),
  created_via: z.string(),
  created_at: z.string(),
  resident_id: z.string().nullable().optional().describe(credential('The resident holding a resident pass')),
  phone: z.string().nullable().optional().describe(credential("The guest's phone")),
  code: z.string().optional().describe(credential('The code typed at the gate keypad')),
  qr_payload: z.string().optional().describe(credential('The signed QR payload, the gate credential itself')),
  qr_image_url: z.string().optional().describe(credential('The QR image')),
  whatsapp_url: z.string().nullable().optional().describe(credential('A wa.me invitation with the code')),
});
export const passListResponse = z.object({
  items: z.array(passResponse),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

/** The portal's passes: the resident's own, and their unit's guest and service passes. */
export const portalPassesResponse = z.object({ resident: z.array(passResponse), guests: z.array(passResponse) });

export type Pass = z.infer<typeof passResponse>;
export type PassPage = z.infer<typeof passListResponse>;
export type PortalPasses = z.infer<typeof portalPassesResponse>;
