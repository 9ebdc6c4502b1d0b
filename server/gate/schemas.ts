import { z } from 'zod';
import { booleanish, id, isoDate, nullable, optionalText, paging, phone, text } from '../http/schemas.ts';
import { printerConfigSchema } from '../devices/printer-config.ts';
import { plate } from '../passes/schemas.ts';

export const gateCreateSchema = z.object({ name: text(100), printer: printerConfigSchema.nullable().optional() });
export const gatePatchSchema = z.object({ name: text(100).optional(), printer: printerConfigSchema.nullable().optional() });

const pin = z.string().regex(/^[0-9]{4,8}$/, 'PIN berupa 4–8 angka.');
export const guardCreateSchema = z.object({ name: text(100), pin });
export const shiftStartSchema = z.object({ gate_id: id, guard_id: id, pin: z.string().max(16) });

export const scanSchema = z
  .object({
    payload: z.string().trim().min(1).max(512).optional(),
    code: z.string().trim().min(1).max(32).optional(),
    gate_id: id.optional(),
    direction: z.enum(['in', 'out']).default('in'),
    method: z.enum(['scanner', 'keypad', 'camera']).optional(),
  })
  .refine((v) => Boolean(v.payload) !== Boolean(v.code), { message: 'Kirim payload atau code (salah satu).', path: ['payload'] });
export type ScanInput = z.infer<typeof scanSchema>;

export const walkInSchema = z.object({
  name: text(200),
  phone: nullable(phone),
  unit_id: id,
  purpose: optionalText(200),
  plate: nullable(plate),
  people: z.number().int().min(1).max(100).default(1),
  id_card_left: z.boolean().default(false),
  gate_id: id.optional(),
  /** How long the guest is expected to stay; past it they show on the overstay list. */
  expected_minutes: z.number().int().min(5).max(24 * 60).default(240),
});
export type WalkInInput = z.infer<typeof walkInSchema>;

const dateOrDateTime = z.union([isoDate, z.iso.datetime({ offset: true })]);
export const accessLogQuery = z.object({
  from: dateOrDateTime.optional(),
  to: dateOrDateTime.optional(),
  unit_id: id.optional(),
  plate: z.string().trim().max(16).optional(),
  verdict: z.enum(['accepted', 'rejected']).optional(),
  direction: z.enum(['in', 'out']).optional(),
  gate_id: id.optional(),
  format: z.enum(['json', 'xlsx', 'pdf']).default('json'),
  ...paging,
});
export type AccessLogQuery = z.infer<typeof accessLogQuery>;

export const checkoutSchema = z.object({ gate_id: id.optional() });
export const notificationListQuery = z.object({ unread: booleanish.optional() });
