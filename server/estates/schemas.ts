import { z } from 'zod';
import { email, optionalText, phone, text, timeZone } from '../http/schemas.ts';
import { password, sessionResponse } from '../auth/schemas.ts';
import { userCreatedResponse } from '../users/schemas.ts';

export const estateFields = {
  name: text(200),
  address: optionalText(500),
  timezone: timeZone.default('Asia/Jakarta'),
  rt: optionalText(10),
  rw: optionalText(10),
};

export const estateCreateBody = z.object(estateFields);

/**
 * The person who will run a new estate. Without one the creating platform administrator becomes its administrator;
 * with one, that person is invited (a new account gets an invite link, an existing one a membership invitation).
 */
export const firstAdminBody = z
  .object({ name: text(200), email: email.optional(), phone: phone.optional() })
  .refine((a) => a.email || a.phone, { message: 'Isi email atau nomor HP.', path: ['email'] });

export const estateCreateWithAdminBody = estateCreateBody.extend({ first_admin: firstAdminBody.optional() });

export const estatePatchBody = z
  .object({
    name: text(200),
    address: optionalText(500),
    timezone: timeZone,
    rt: optionalText(10),
    rw: optionalText(10),
    settings: z.record(z.string().max(64), z.unknown()).refine((s) => JSON.stringify(s).length <= 20_000, 'Pengaturan terlalu besar.'),
  })
  .partial();

export const setupBody = z.object({
  estate: estateCreateBody,
  admin: z
    .object({ name: text(200), email: email.optional(), phone: phone.optional(), password })
    .refine((a) => a.email || a.phone, { message: 'Isi email atau nomor HP.', path: ['email'] }),
});

export const estateResponse = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  timezone: z.string(),
  rt: z.string().nullable(),
  rw: z.string().nullable(),
  settings: z.record(z.string(), z.unknown()),
  created_at: z.string(),
  updated_at: z.string(),
});

export const estateListResponse = z.object({ items: z.array(estateResponse) });

/** A new estate, with how its first administrator was invited when one was named. */
export const estateCreatedResponse = estateResponse.extend({ first_admin: userCreatedResponse.optional() });

/** First run answers the new administrator's session and the estate made for it. */
export const setupResponse = sessionResponse.extend({ estate: estateResponse });

export type Estate = z.infer<typeof estateResponse>;
export type EstateCreated = z.infer<typeof estateCreatedResponse>;
export type SetupAnswer = z.infer<typeof setupResponse>;
