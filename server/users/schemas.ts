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
export const memberParams = z.object({ estate_id: id, membership_id: id });
export const memberRoleBody = z.object({ role: z.enum(ESTATE_ROLES) });
export const resetTokenParams = z.object({ token: z.string().min(1).max(200) });
export const resetUseBody = z.object({ password });
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

/** A member after a change by the office. */
export const memberChangedResponse = z.object({
  membership_id: z.string(),
  user_id: z.string(),
  role: z.enum(ROLES),
  status: z.string(),
  deactivated_at: z.string().nullable(),
});

/** A link the office passes on by WhatsApp: the invite code while it is open, else a one-time password link. */
export const memberLinkResponse = z.object({
  code: z.string().nullable(),
  url: z.string(),
  whatsapp_url: z.string(),
  expires_at: z.string(),
});

/** What a one-time password link is for, shown before the new password is chosen. */
export const resetLinkInfoResponse = z.object({ name: z.string(), estate_name: z.string(), expires_at: z.string() });

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
  /** Set when the estate switched this member off: the role grants nothing until switched on again. */
  deactivated_at: z.string().nullable(),
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
export type MemberChanged = z.infer<typeof memberChangedResponse>;
export type MemberLink = z.infer<typeof memberLinkResponse>;
export type ResetLinkInfo = z.infer<typeof resetLinkInfoResponse>;
export type SentInvitation = z.infer<typeof sentInvitationResponse>;
export type UserCreated = z.infer<typeof userCreatedResponse>;
export type EstateUser = z.infer<typeof estateUserResponse>;
export type EstateUserList = z.infer<typeof estateUserListResponse>;
export type InviteInfo = z.infer<typeof inviteInfoResponse>;
export type MembershipInvitation = z.infer<typeof membershipInvitationResponse>;
