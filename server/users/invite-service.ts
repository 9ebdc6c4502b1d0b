import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { isRole } from '../auth/permissions.ts';
import { NotFoundError } from '../http/errors.ts';

interface InviteRow {
  id: string;
  estate_id: string;
  user_id: string;
  role: string;
  expires_at: string;
  accepted_at: string | null;
  user_name: string;
  estate_name: string;
}

/**
 * An invite code sets the password of one account: the new, never-used account it was created with. It is refused
 * (as "not found", so a code reveals nothing) once used, expired, or when the account already has a password or is
 * active. Codes minted before that rule for an account that already existed are refused too: only the account's
 * first invite can ever activate it.
 */
export async function openInvite(knex: Knex, code: string): Promise<InviteRow> {
  const invite = await knex('invites')
    .join('users', 'users.id', 'invites.user_id')
    .join('estates', 'estates.id', 'invites.estate_id')
    .where('invites.code', code.trim().toUpperCase())
    .whereNull('users.deleted_at')
    .whereNull('estates.deleted_at')
    .where('users.status', 'invited')
    .whereNull('users.password_hash')
    .whereNull('invites.accepted_at')
    .where('invites.expires_at', '>', nowIso())
    .first(
      'invites.id',
      'invites.estate_id',
      'invites.user_id',
      'invites.role',
      'invites.expires_at',
      'invites.accepted_at',
      'users.name as user_name',
      'estates.name as estate_name',
    );
  if (!invite) throw new NotFoundError('Undangan');
  const first = await knex('invites')
    .where({ user_id: invite.user_id })
    .orderBy([{ column: 'created_at' }, { column: 'id' }])
    .first('id');
  if (first?.id !== invite.id) throw new NotFoundError('Undangan');
  return invite as InviteRow;
}

/**
 * Uses the invite once and sets the account's first password. Both steps are conditional updates checked by their
 * row counts, so of two simultaneous accepts (also on PostgreSQL, where they wait on the row lock and re-check) only
 * one succeeds; the other changes nothing.
 */
export async function acceptInvite(knex: Knex, sync: SyncContext, code: string, passwordHash: string): Promise<string> {
  return new PlatformStore(knex, SYSTEM_ACTOR, sync).transaction(async (platform) => {
    const inv = await openInvite(platform.knex as Knex, code);
    const tx = platform.withActor({ userId: inv.user_id, role: isRole(inv.role) ? inv.role : 'system' });
    const at = nowIso();
    const write = { estateId: inv.estate_id };
    const claimed = await tx.update(
      'invites',
      (q) => q.where({ id: inv.id }).whereNull('accepted_at').where('expires_at', '>', at),
      { accepted_at: at },
      { ...write, action: 'invites.accept' },
    );
    if (claimed.length !== 1) throw new NotFoundError('Undangan');
    const activated = await tx.update(
      'users',
      (q) => q.where({ id: inv.user_id, status: 'invited' }).whereNull('password_hash').whereNull('deleted_at'),
      { password_hash: passwordHash, status: 'active', updated_at: at },
      { ...write, action: 'users.activate' },
    );
    if (activated.length !== 1) throw new NotFoundError('Undangan');
    return inv.user_id;
  });
}
