import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';

/**
 * The user row of an administrator created outside the setup screen (the CLI and the demo seed), so both start
 * from the same status and lockout counters as an account made through the API.
 */
export function platformAdminRow(input: { name: string; email: string | null; phone: string | null; passwordHash: string }) {
  const at = nowIso();
  return {
    id: newId(),
    name: input.name,
    email: input.email,
    phone: input.phone,
    password_hash: input.passwordHash,
    is_platform_admin: true,
    status: 'active',
    failed_logins: 0,
    created_at: at,
    updated_at: at,
  };
}
