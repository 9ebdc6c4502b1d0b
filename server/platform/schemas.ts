import { z } from 'zod';
import { ROLES } from '../auth/permissions.ts';

/** Ids in the path are looked up, not validated: an id that is no estate or user answers 404 like a deleted one. */
export const platformEstateParams = z.object({ id: z.string().max(64) });
export const platformAdminParams = z.object({ user_id: z.string().max(64) });

export const platformEstateListQuery = z.object({
  q: z.string().trim().max(200).optional(),
  status: z.enum(['active', 'suspended']).optional(),
});

export const platformAdminGrantBody = z.object({ user_id: z.string().uuid('Id tidak sah.') });

export const userLookupQuery = z.object({ q: z.string().trim().min(1, 'Isi email atau nomor HP.').max(254) });

export const estateUsageResponse = z.object({
  units: z.number().int(),
  /** Residents living in a unit on the estate's today. */
  active_residents: z.number().int(),
  /** Accounts with an active membership. */
  users: z.number().int(),
  /** The newest sync of the estate seen here (a desktop's push on the hosted instance, the desktop's own cycle), or null. */
  last_sync_at: z.string().nullable(),
});

export const platformEstateResponse = z.object({
  id: z.string(),
  name: z.string(),
  address: z.string().nullable(),
  timezone: z.string(),
  status: z.enum(['active', 'suspended']),
  suspended_at: z.string().nullable(),
  created_at: z.string(),
  usage: estateUsageResponse,
});

export const platformEstateListResponse = z.object({ items: z.array(platformEstateResponse) });

export const platformAdminResponse = z.object({
  id: z.string(),
  name: z.string(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  status: z.string(),
  last_login_at: z.string().nullable(),
});

export const platformAdminListResponse = z.object({ items: z.array(platformAdminResponse) });

export const userEstateResponse = z.object({
  estate_id: z.string(),
  estate_name: z.string(),
  estate_status: z.enum(['active', 'suspended']),
  role: z.enum(ROLES),
  /** `deactivated`: the estate switched this member off; the membership grants nothing. */
  membership_status: z.enum(['active', 'deactivated']),
});

export const userLookupResponse = z.object({
  items: z.array(
    z.object({
      id: z.string(),
      name: z.string(),
      email: z.string().nullable(),
      phone: z.string().nullable(),
      status: z.string(),
      is_platform_admin: z.boolean(),
      estates: z.array(userEstateResponse),
    }),
  ),
});

export type PlatformEstate = z.infer<typeof platformEstateResponse>;
export type PlatformEstateList = z.infer<typeof platformEstateListResponse>;
export type PlatformAdmin = z.infer<typeof platformAdminResponse>;
export type PlatformAdminList = z.infer<typeof platformAdminListResponse>;
export type UserLookup = z.infer<typeof userLookupResponse>;
