import { z } from 'zod';
import { itemsOf, nullable, optionalText, pageOf, paging } from '../http/schemas.ts';
import { RELATIONS } from '../residents/schemas.ts';
import { normalizeUnitCode } from './unit-code.ts';

export const UNIT_TYPES = ['rumah', 'ruko', 'kavling', 'other'] as const;
export const OCCUPANCIES = ['occupied', 'vacant', 'under_construction'] as const;

export const unitCode = z
  .string()
  .trim()
  .min(1, 'Wajib diisi.')
  .max(40, 'Maksimal 40 karakter.')
  .transform((v, ctx) => {
    const code = normalizeUnitCode(v);
    if (!code) {
      ctx.addIssue({ code: 'custom', message: 'Kode unit tidak sah (contoh: A-12).' });
      return z.NEVER;
    }
    return code;
  });

const area = nullable(z.number({ error: 'Harus berupa angka.' }).min(0, 'Tidak boleh negatif.').max(1_000_000, 'Terlalu besar.'));

export const unitCreateBody = z.object({
  code: unitCode,
  block: optionalText(20),
  type: z.enum(UNIT_TYPES).default('rumah'),
  land_area_m2: area,
  building_area_m2: area,
  occupancy: z.enum(OCCUPANCIES).default('occupied'),
  notes: optionalText(2000),
});

export const unitPatchBody = z
  .object({
    code: unitCode,
    block: optionalText(20),
    type: z.enum(UNIT_TYPES),
    land_area_m2: area,
    building_area_m2: area,
    occupancy: z.enum(OCCUPANCIES),
    notes: optionalText(2000),
  })
  .partial()
  .refine((b) => Object.keys(b).length > 0, 'Tidak ada yang diubah.');

export const unitListQuery = z.object({
  q: z.string().trim().max(100).optional(),
  block: z.string().trim().max(20).optional(),
  type: z.enum(UNIT_TYPES).optional(),
  occupancy: z.enum(OCCUPANCIES).optional(),
  sort: z.enum(['code', 'updated_at']).default('code'),
  ...paging,
});

export type UnitCreate = z.infer<typeof unitCreateBody>;
export type UnitPatch = z.infer<typeof unitPatchBody>;
export type UnitListQuery = z.infer<typeof unitListQuery>;

export const unitResponse = z.object({
  id: z.string(),
  code: z.string(),
  block: z.string().nullable(),
  type: z.enum(UNIT_TYPES),
  land_area_m2: z.number().nullable(),
  building_area_m2: z.number().nullable(),
  occupancy: z.enum(OCCUPANCIES),
  notes: z.string().nullable(),
  created_at: z.string(),
  updated_at: z.string(),
  /** Who lives there now. */
  residents: z.array(z.object({ id: z.string(), name: z.string(), relation: z.enum(RELATIONS) })),
});
export const unitPageResponse = pageOf(unitResponse);

/** One stay of a resident in a unit, newest first. */
export const unitHistoryEntryResponse = z.object({
  id: z.string(),
  resident_id: z.string(),
  name: z.string(),
  relation: z.enum(RELATIONS),
  moved_in_on: z.string().nullable(),
  moved_out_on: z.string().nullable(),
});
export const unitHistoryResponse = itemsOf(unitHistoryEntryResponse);

export type Unit = z.infer<typeof unitResponse>;
export type UnitHistoryEntry = z.infer<typeof unitHistoryEntryResponse>;

/** What was typed into a unit search box: a code in any spelling, a house number, or a resident's name. */
export const unitSearchQuery = z.object({
  q: z.string().trim().min(1, 'Wajib diisi.').max(100, 'Maksimal 100 karakter.'),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});
export const unitSearchResponse = itemsOf(
  z.object({
    id: z.string(),
    code: z.string(),
    block: z.string().nullable(),
    type: z.enum(UNIT_TYPES),
    residents: z.array(z.object({ id: z.string(), name: z.string(), relation: z.enum(RELATIONS) })),
  }),
).extend({
  /** More units match than `limit`: the list is cut, typing more narrows it. */
  more: z.boolean(),
});
