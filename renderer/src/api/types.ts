/** Shapes of the server's JSON (snake_case, as sent). Kept by hand in step with the server's zod schemas. */
import type { Role } from '../../../server/auth/permissions.ts';

export type { Role };

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface Health {
  status: string;
  version: string;
  database: 'sqlite' | 'postgres';
  setup_required: boolean;
}

export interface User {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  is_platform_admin: boolean;
}

export interface Membership {
  estate_id: string;
  estate_name: string;
  /** The estate's IANA time zone: its calendar decides every date shown. */
  estate_timezone: string;
  role: Role;
  resident_id: string | null;
}

export interface AuthSession {
  user: User;
  memberships: Membership[];
  csrf_token: string;
}

export interface Estate {
  id: string;
  name: string;
  address: string | null;
  timezone: string;
  rt: string | null;
  rw: string | null;
  settings?: Record<string, unknown>;
}

export const UNIT_TYPES = ['rumah', 'ruko', 'kavling', 'other'] as const;
export type UnitType = (typeof UNIT_TYPES)[number];
export const OCCUPANCIES = ['occupied', 'vacant', 'under_construction'] as const;
export type Occupancy = (typeof OCCUPANCIES)[number];
export const RELATIONS = ['owner', 'tenant', 'family'] as const;
export type Relation = (typeof RELATIONS)[number];

export interface Unit {
  id: string;
  code: string;
  block: string | null;
  type: UnitType;
  land_area_m2: number | null;
  building_area_m2: number | null;
  occupancy: Occupancy;
  notes: string | null;
  created_at: string;
  updated_at: string;
  residents: { id: string; name: string; relation: Relation | null }[];
}

export interface UnitInput {
  code: string;
  block?: string | null;
  type: UnitType;
  land_area_m2?: number | null;
  building_area_m2?: number | null;
  occupancy: Occupancy;
  notes?: string | null;
}

/** One stay of a resident in a unit, newest first. */
export interface UnitHistoryEntry {
  id: string;
  resident_id: string;
  name: string;
  relation: Relation | null;
  moved_in_on: string | null;
  moved_out_on: string | null;
}

export interface Resident {
  id: string;
  name: string;
  phone: string | null;
  email: string | null;
  unit_id: string | null;
  unit_code: string | null;
  relation: Relation | null;
  moved_in_on: string | null;
  moved_out_on: string | null;
  directory_opt_in: boolean;
  created_at: string;
  updated_at: string;
}

export interface ResidentInput {
  name: string;
  phone?: string | null;
  email?: string | null;
  unit_id?: string | null;
  relation?: Relation | null;
  moved_in_on?: string | null;
  moved_out_on?: string | null;
  directory_opt_in?: boolean;
}

export interface Invite {
  code: string;
  url: string;
  whatsapp_url: string;
}

export interface UserCreateInput {
  name: string;
  email?: string;
  phone?: string;
  role: Role;
  password?: string;
  resident_id?: string;
}

/** An invitation this estate sent to someone who already has an account: only what the estate itself typed. */
export interface SentInvitation {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: Role;
  status: 'pending' | string;
  expires_at: string;
  created_at: string;
}

/** A new account (with an invite code unless a password was set), or an invitation to an existing account. */
export interface UserCreated {
  user: User | null;
  invite?: Invite;
  membership_invitation?: SentInvitation;
}

/** An estate inviting the signed-in user to a role; nothing applies until the user accepts. */
export interface MembershipInvitation {
  id: string;
  estate_id: string;
  estate_name: string;
  role: Role;
  invited_by_name: string | null;
  created_at: string;
  expires_at: string;
}

export interface InviteInfo {
  name: string;
  estate_name: string;
  role: Role;
}

export type ImportAction = 'create' | 'update' | 'unchanged' | 'error';

export interface ImportColumn {
  index: number;
  header: string;
  field: string | null;
}

export interface ImportResult {
  dry_run: boolean;
  sheet: string;
  header_row: number;
  columns: ImportColumn[];
  unmapped_columns: { index: number; header: string }[];
  summary: {
    units_create: number;
    units_update: number;
    units_unchanged: number;
    residents_create: number;
    residents_update: number;
    residents_unchanged: number;
    error_rows: number;
  };
  rows: {
    row_number: number;
    action: ImportAction;
    unit_code: string | null;
    errors: { field: string | null; message: string }[];
    residents: { name: string; relation: Relation; action: 'create' | 'update' | 'unchanged' }[];
  }[];
}

export interface EstateUser {
  id: string;
  membership_id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: Role;
  resident_id: string | null;
  status: 'active' | 'invited' | string;
  last_login_at: string | null;
}
