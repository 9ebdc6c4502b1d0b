import { roleHasPermission, type Role } from '../auth/permissions.ts';

/**
 * Who may see a pass's credentials (QR payload, typed code) and its holder's contact details: the office that issues
 * passes. The guard post (the guard role and kiosk devices, which act as guards) reads passes to recognise expected
 * guests and gets verdicts from scans; a credential in its hands would be a key to the estate. A resident sees their
 * own unit's passes through the portal routes.
 */
export function seesPassCredentials(role: Role | undefined): boolean {
  return role !== undefined && roleHasPermission(role, 'passes.write');
}
