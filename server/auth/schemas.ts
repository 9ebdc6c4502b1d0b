import { z } from 'zod';
import { ROLES } from './permissions.ts';

export const password = z.string().min(8, 'Kata sandi minimal 8 karakter.').max(200, 'Kata sandi terlalu panjang.');

export const loginBody = z.object({
  login: z.string().trim().min(1, 'Isi email atau nomor HP.').max(254),
  password: z.string().min(1, 'Isi kata sandi.').max(200),
});

export const passwordChangeBody = z.object({
  current_password: z.string().min(1).max(200),
  new_password: password,
});

export const tokenBody = loginBody.extend({ name: z.string().trim().max(100).optional() });

/** An account as the API shows it: never its password hash or login counters. */
export const publicUserResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  is_platform_admin: z.boolean(),
});

export const membershipResponse = z.object({
  estate_id: z.string(),
  role: z.enum(ROLES),
  resident_id: z.string().nullable(),
  estate_name: z.string(),
  /** The estate's IANA time zone: its calendar decides every date shown. */
  estate_timezone: z.string(),
});

export const sessionResponse = z.object({
  user: publicUserResponse,
  memberships: z.array(membershipResponse),
  /** Null for bearer-token callers, who need no CSRF token. */
  csrf_token: z.string().nullable(),
});

export const tokenResponse = z.object({ token: z.string(), token_type: z.literal('Bearer') });

export type PublicUser = z.infer<typeof publicUserResponse>;
export type Membership = z.infer<typeof membershipResponse>;
export type AuthSession = z.infer<typeof sessionResponse>;
