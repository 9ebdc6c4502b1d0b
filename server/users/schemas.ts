import { z } from 'zod';
import { email, id, phone, text } from '../http/schemas.ts';
import { password } from '../auth/schemas.ts';

/** Roles an estate can hand out; platform_admin belongs to the installation, not to an estate. */
export const ESTATE_ROLES = ['estate_admin', 'treasurer', 'guard', 'staff', 'resident'] as const;

export const userCreateBody = z
  .object({
    name: text(200),
    email: email.optional(),
    phone: phone.optional(),
    role: z.enum(ESTATE_ROLES),
    password: password.optional(),
    resident_id: id.optional(),
  })
  .refine((u) => u.email || u.phone, { message: 'Isi email atau nomor HP.', path: ['email'] });

export const inviteParams = z.object({ code: z.string().trim().min(6).max(32) });
export const inviteAcceptBody = z.object({ password });
export const invitationParams = z.object({ id });
