/**
 * The one table that maps roles to permissions. Every route names one of these keys (or 'public' /
 * 'authenticated'); tests/api/permissions.test.ts snapshots the whole matrix so a change is never unnoticed.
 */
export const ROLES = ['platform_admin', 'estate_admin', 'treasurer', 'guard', 'staff', 'resident'] as const;
export type Role = (typeof ROLES)[number];

const OFFICE: Role[] = ['platform_admin', 'estate_admin', 'treasurer', 'staff'];
const MONEY: Role[] = ['platform_admin', 'estate_admin', 'treasurer'];
const ADMIN: Role[] = ['platform_admin', 'estate_admin'];
const GATE: Role[] = ['platform_admin', 'estate_admin', 'guard'];
const EVERYONE: Role[] = [...ROLES];

export const PERMISSIONS = {
  'estates.create': ['platform_admin'],
  'estates.read': EVERYONE,
  'estates.update': ADMIN,
  // the whole estate as one archive, to move it to another installation: everything the estate holds
  'estates.export': ADMIN,
  // this server as a whole (the address phones open): the installation's administrator, not one estate's
  'installation.write': ['platform_admin'],
  // the platform console: every estate's status and usage, the platform's administrators, any account's estates
  'platform.manage': ['platform_admin'],
  'users.read': ADMIN,
  'users.write': ADMIN,
  'invites.write': [...ADMIN, 'treasurer'],
  'units.read': OFFICE,
  'units.write': [...ADMIN, 'treasurer'],
  'residents.read': OFFICE,
  'residents.write': [...ADMIN, 'treasurer'],
  'imports.write': [...ADMIN, 'treasurer'],
  'audit.read': ADMIN,
  // ledger
  'fees.read': OFFICE,
  'fees.write': MONEY,
  'billing.read': OFFICE,
  'billing.run': MONEY,
  'invoices.read': OFFICE,
  'invoices.void': MONEY,
  'payments.read': OFFICE,
  'payments.write': MONEY,
  'payments.reverse': MONEY,
  'payments.verify': MONEY,
  // the estate's payment gateway account (keys, callback token, methods): money in, so admin and treasurer
  'gateway.manage': MONEY,
  // reconciliation notices (a payment that became credit because its invoice was already paid)
  'ledger.notices': MONEY,
  // a value that lost a sync merge: dismissed, or used instead (an ordinary edit of the unit, resident, …)
  'sync.resolve': [...ADMIN, 'treasurer'],
  'receipts.print': OFFICE,
  'cashbook.read': OFFICE,
  'cashbook.write': MONEY,
  'cashbook.close': MONEY,
  'reports.read': OFFICE,
  'settings.read': OFFICE,
  'settings.write': ADMIN,
  // background work (printing, billing runs, messages)
  'jobs.read': OFFICE,
  'jobs.retry': MONEY,
  // messages to residents: the office reads the outbox; ticking wa.me messages, retries and reminder batches are the
  // treasurer's; channel accounts and templates speak for the estate
  'messages.read': OFFICE,
  'messages.send': MONEY,
  'messages.settings': MONEY,
  // announcements to residents: the office (admin, treasurer and the committee's staff) writes, publishes and reads
  // the delivery report; residents read theirs through portal.self
  'announcements.read': OFFICE,
  'announcements.write': OFFICE,
  // guard post
  'devices.write': ADMIN,
  'gates.write': ADMIN,
  'passes.read': [...OFFICE, 'guard'],
  'passes.write': [...OFFICE],
  'gate.scan': GATE,
  'gate.walk_in': GATE,
  'access_log.read': [...OFFICE, 'guard'],
  // resident portal: the resident's own unit only, enforced by the service
  'portal.self': ['resident'],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof PERMISSIONS;

export function roleHasPermission(role: Role, permission: Permission): boolean {
  return (PERMISSIONS[permission] as readonly Role[]).includes(role);
}

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

const ESTATE_GRANTABLE: Role[] = ['estate_admin', 'treasurer', 'guard', 'staff', 'resident'];

/**
 * Roles a holder of `role` may hand to someone in an estate. Only administrators give out office, guard and admin
 * roles; a treasurer (who may invite) only invites residents, so inviting can never raise anyone above the inviter.
 */
export function grantableRoles(role: Role | undefined): readonly Role[] {
  if (role === 'platform_admin' || role === 'estate_admin') return ESTATE_GRANTABLE;
  if (role === 'treasurer') return ['resident'];
  return [];
}
