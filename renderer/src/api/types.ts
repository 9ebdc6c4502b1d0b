/**
 * Shapes of the server's JSON (snake_case, as sent), taken from the server's own response schemas. Type-only
 * imports: nothing of the server's runtime reaches the renderer bundle.
 */
import type { Role } from '../../../server/auth/permissions.ts';
import type { AuthSession, Membership, PublicUser } from '../../../server/auth/schemas.ts';
import type { Estate } from '../../../server/estates/schemas.ts';
import type { ImportJobView, ImportResult } from '../../../server/imports/schemas.ts';
import type { Resident } from '../../../server/residents/schemas.ts';
import type { Health } from '../../../server/system/schemas.ts';
import type { Unit, UnitHistoryEntry } from '../../../server/units/schemas.ts';
import type {
  EstateUser,
  EstateUserList,
  InviteInfo,
  InviteLinks,
  MembershipInvitation,
  SentInvitation,
  UserCreated,
} from '../../../server/users/schemas.ts';

export type {
  AuthSession,
  Estate,
  EstateUser,
  EstateUserList,
  Health,
  ImportJobView,
  ImportResult,
  InviteInfo,
  Membership,
  MembershipInvitation,
  Resident,
  Role,
  SentInvitation,
  Unit,
  UnitHistoryEntry,
  UserCreated,
};
export type User = PublicUser;
export type Invite = InviteLinks;

export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

// The choices a form offers; `satisfies` keeps them the server's own values.
export const UNIT_TYPES = ['rumah', 'ruko', 'kavling', 'other'] as const satisfies readonly Unit['type'][];
export type UnitType = Unit['type'];
export const OCCUPANCIES = ['occupied', 'vacant', 'under_construction'] as const satisfies readonly Unit['occupancy'][];
export type Occupancy = Unit['occupancy'];
export const RELATIONS = ['owner', 'tenant', 'family'] as const satisfies readonly NonNullable<Resident['relation']>[];
export type Relation = NonNullable<Resident['relation']>;

export interface UnitInput {
  code: string;
  block?: string | null;
  type: UnitType;
  land_area_m2?: number | null;
  building_area_m2?: number | null;
  occupancy: Occupancy;
  notes?: string | null;
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

export interface UserCreateInput {
  name: string;
  email?: string;
  phone?: string;
  role: Role;
  password?: string;
  resident_id?: string;
}

export type ImportAction = ImportResult['rows'][number]['action'];
export type ImportColumn = ImportResult['columns'][number];
