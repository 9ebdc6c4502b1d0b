import { z } from 'zod';
import { email, id, phone, text } from '../http/schemas.ts';
import { password } from '../auth/schemas.ts';
import { ROLES } from '../auth/permissions.ts';

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

// Answers.
export const inviteLinksResponse = z.object({ code: z.string(), url: z.string(), whatsapp_url: z.string() });

/** An invitation this estate sent to someone who already has an account: only what the estate itself typed. */
export const sentInvitationResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  role: z.enum(ROLES),
  status: z.string(),
  expires_at: z.string(),
  created_at: z.string(),
});

/** A new account (with invite links unless a password was set), or an invitation to an existing account. */
export const userCreatedResponse = z.object({
  user: z
    .object({ id: z.string(), name: z.string(), email: z.string().nullable(), phone: z.string().nullable(), status: z.string() })
    .nullable(),
  role: z.enum(ROLES),
  invite: inviteLinksResponse.optional(),
  membership_invitation: sentInvitationResponse.optional(),
});

export const estateUserResponse = z.object({
  membership_id: z.string(),
  role: z.enum(ROLES),
  resident_id: z.string().nullable(),
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string(),
  last_login_at: z.string().nullable(),
});
export const estateUserListResponse = z.object({
  items: z.array(estateUserResponse),
  pending_invitations: z.array(sentInvitationResponse),
});

export const inviteInfoResponse = z.object({ name: z.string(), estate_name: z.string(), role: z.enum(ROLES), expires_at: z.string() });

/** An estate inviting the signed-in user to a role; nothing applies until the user accepts. */
export const membershipInvitationResponse = z.object({
  id: z.string(),
  estate_id: z.string(),
  estate_name: z.string(),
  role: z.enum(ROLES),
  invited_by_name: z.string().nullable(),
  created_at: z.string(),
  expires_at: z.string(),
});
export const membershipInvitationListResponse = z.object({ items: z.array(membershipInvitationResponse) });

export type InviteLinks = z.infer<typeof inviteLinksResponse>;
export type SentInvitation = z.infer<typeof sentInvitationResponse>;
export type UserCreated = z.infer<typeof userCreatedResponse>;
export type EstateUser = z.infer<typeof estateUserResponse>;
export type EstateUserList = z.infer<typeof estateUserListResponse>;
export type InviteInfo = z.infer<typeof inviteInfoResponse>;
export type MembershipInvitation = z.infer<typeof membershipInvitationResponse>;
