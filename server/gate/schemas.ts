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
  expected_minutes: z
    .number()
    .int()
    .min(5)
    .max(24 * 60)
    .default(240),
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

// Answers.
export const gateResponse = z.object({ id: z.string(), name: z.string(), printer: printerConfigSchema.nullable(), created_at: z.string() });
export const gateListResponse = z.object({ items: z.array(gateResponse) });

export const guardResponse = z.object({ id: z.string(), name: z.string(), created_at: z.string() });
export const guardListResponse = z.object({ items: z.array(z.object({ id: z.string(), name: z.string() })) });

const shift = z.object({
  id: z.string(),
  started_at: z.string(),
  gate: z.object({ id: z.string(), name: z.string() }),
  guard: z.object({ id: z.string(), name: z.string() }),
});
export const shiftResponse = shift;
/** The guard post's open shift, or null when none is open (also the answer to ending one). */
export const currentShiftResponse = z.object({ shift: shift.nullable() });

const slipStatus = z.enum(['queued', 'no_printer', 'none']);

/** The verdict the guard post shows for a scan. */
export const scanResponse = z.object({
  verdict: z.enum(['accepted', 'rejected']),
  reason: z.string().nullable(),
  direction: z.enum(['in', 'out']),
  pass: z
    .object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      unit_id: z.string(),
      unit_code: z.string(),
      purpose: z.string().nullable(),
      plate: z.string().nullable(),
      people: z.number().int(),
      valid_until: z.string(),
      uses: z.number().int(),
      max_uses: z.number().int().nullable(),
    })
    .nullable(),
  visit_id: z.string().nullable(),
  entry_id: z.string(),
  slip: slipStatus,
  scanned_at: z.string(),
});

/** A visit as the gate sees it; the guest's phone only for the office (passes credentials). */
export const visitResponse = z.object({
  id: z.string(),
  kind: z.string(),
  pass_id: z.string().nullable(),
  unit_id: z.string(),
  unit_code: z.string(),
  name: z.string(),
  phone: z.string().nullable().optional(),
  plate: z.string().nullable(),
  purpose: z.string().nullable(),
  people: z.number().int(),
  id_card_left: z.boolean(),
  entered_at: z.string(),
  expected_until: z.string().nullable(),
  exited_at: z.string().nullable(),
  overstay: z.boolean(),
});
export const visitListResponse = z.object({ items: z.array(visitResponse) });

/** What one guard hands to the next: the shift's counts from the access log and who is still inside. */
export const handoverResponse = z.object({
  shift: shift.extend({ ended_at: z.string() }),
  entries: z.number().int(),
  exits: z.number().int(),
  walk_ins: z.number().int(),
  denials: z.number().int(),
  inside: z.array(visitResponse),
});
export const shiftEndResponse = z.object({ shift: z.null(), handover: handoverResponse.nullable() });
export const shiftHandoverResponse = z.object({ handover: handoverResponse.nullable() });
/** `host_notified`: a resident of the host unit has a portal account that shows the notice (else nobody was told). */
export const walkInResponse = z.object({ entry_id: z.string(), visit: visitResponse, slip: slipStatus, host_notified: z.boolean() });
export const checkoutResponse = z.object({ entry_id: z.string(), visit: visitResponse });
export const slipReprintResponse = z.object({ printed: z.literal(true), visit: visitResponse });

/** A walk-in's destination: what the guard needs to pick it, and the name only of a resident listed in the directory. */
export const gateUnitListResponse = z.object({
  items: z.array(z.object({ id: z.string(), code: z.string(), block: z.string().nullable(), resident_name: z.string().nullable() })),
});
export const gateUnitQuery = z.object({
  q: z.string().trim().max(100, 'Maksimal 100 karakter.').optional(),
  limit: z.coerce.number().int().min(1).max(50).default(20),
});

/** Guest and temporary passes valid some time today, for the guard post's "expected" list. */
export const expectedPassListResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.string(),
      name: z.string(),
      plate: z.string().nullable(),
      purpose: z.string().nullable(),
      people: z.number().int(),
      valid_from: z.string(),
      valid_until: z.string(),
      uses: z.number().int(),
      max_uses: z.number().int().nullable(),
      unit_id: z.string(),
      unit_code: z.string(),
    }),
  ),
});

export const accessLogEntryResponse = z.object({
  id: z.string(),
  occurred_at: z.string(),
  direction: z.enum(['in', 'out']),
  verdict: z.enum(['accepted', 'rejected']),
  reason: z.string().nullable(),
  method: z.string(),
  gate_id: z.string().nullable(),
  gate_name: z.string().nullable(),
  guard_id: z.string().nullable(),
  guard_name: z.string().nullable(),
  device_id: z.string().nullable(),
  pass_id: z.string().nullable(),
  pass_kind: z.string().nullable(),
  visit_id: z.string().nullable(),
  person_name: z.string().nullable(),
  unit_id: z.string().nullable(),
  unit_code: z.string().nullable(),
  plate: z.string().nullable(),
  purpose: z.string().nullable(),
});
export const accessLogPageResponse = z.object({
  items: z.array(accessLogEntryResponse),
  total: z.number().int(),
  limit: z.number().int(),
  offset: z.number().int(),
});

export const portalVisitsResponse = accessLogPageResponse.extend({ inside: z.array(visitResponse) });
export const gateNotificationListResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      kind: z.enum(['walk_in', 'guest_arrived']),
      guest_name: z.string(),
      purpose: z.string().nullable(),
      gate_name: z.string().nullable(),
      visit_id: z.string().nullable(),
      read_at: z.string().nullable(),
      created_at: z.string(),
    }),
  ),
  unread: z.number().int(),
});
export const gateNotificationReadResponse = z.object({ id: z.string(), read: z.literal(true) });

export type Gate = z.infer<typeof gateResponse>;
export type GateShift = z.infer<typeof shiftResponse>;
export type ShiftHandover = z.infer<typeof handoverResponse>;
export type WalkInAnswer = z.infer<typeof walkInResponse>;
export type ScanVerdict = z.infer<typeof scanResponse>;
export type Visit = z.infer<typeof visitResponse>;
export type AccessLogEntry = z.infer<typeof accessLogEntryResponse>;
export type ExpectedPass = z.infer<typeof expectedPassListResponse>['items'][number];
export type GateNotification = z.infer<typeof gateNotificationListResponse>['items'][number];
export type PortalVisits = z.infer<typeof portalVisitsResponse>;
