import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { flushJournal, outboxRow } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { isRole } from '../auth/permissions.ts';
import { insertMembership } from '../estates/index.ts';
import { ConflictError, NotFoundError } from '../http/errors.ts';

/**
 * Invitations of an existing account into another estate (or another role). They grant nothing until the invited
 * person, signed in with their own password, accepts: only then is the membership row written.
 */
export async function listMyInvitations(knex: Knex, userId: string) {
  const rows = await knex('membership_invitations as mi')
    .join('estates', 'estates.id', 'mi.estate_id')
    .leftJoin('users as inviter', 'inviter.id', 'mi.invited_by')
    .where({ 'mi.user_id': userId, 'mi.status': 'pending' })
    .where('mi.expires_at', '>', nowIso())
    .whereNull('estates.deleted_at')
    .orderBy('mi.created_at')
    .select(
      'mi.id',
      'mi.estate_id',
      'estates.name as estate_name',
      'mi.role',
      'inviter.name as invited_by_name',
      'mi.created_at',
      'mi.expires_at',
    );
  return { items: rows.map((r: Record<string, unknown>) => ({ ...r, invited_by_name: (r.invited_by_name as string) ?? null })) };
}

/** Answers a pending invitation once: a conditional update, so a double click or a race answers it only once. */
async function respond(tx: PlatformStore, userId: string, id: string, status: 'accepted' | 'declined') {
  const row = await tx.query('membership_invitations').where({ id, user_id: userId }).first();
  if (!row) throw new NotFoundError('Undangan');
  const at = nowIso();
  const [changed] = await tx.update(
    'membership_invitations',
    (q) => q.where({ id, user_id: userId, status: 'pending' }).where('expires_at', '>', at),
    { status, responded_at: at, updated_at: at },
    { estateId: row.estate_id, action: `membership_invitations.${status === 'accepted' ? 'accept' : 'decline'}` },
  );
  if (!changed) {
    if (row.status !== 'pending') throw new ConflictError('INVITATION_ANSWERED', 'Undangan ini sudah dijawab.');
    throw new NotFoundError('Undangan');
  }
  return changed as typeof row;
}

export async function acceptMembershipInvitation(knex: Knex, sync: SyncContext, userId: string, id: string): Promise<void> {
  const invited = await knex('membership_invitations').where({ id, user_id: userId }).first('role');
  const actor = { userId, role: invited && isRole(invited.role) ? invited.role : ('system' as const) };
  await new PlatformStore(knex, actor, sync).transaction(async (tx) => {
    const inv = await respond(tx, userId, id, 'accepted');
    const estate = await tx.query('estates').where({ id: inv.estate_id }).whereNull('deleted_at').first('id');
    if (!estate) throw new NotFoundError('Undangan');
    if (inv.resident_id) {
      // The invitation names its estate; the resident must be that estate's, which is what is checked here.
      const resident = await tx
        .query('residents')
        .where({ id: inv.resident_id, estate_id: inv.estate_id })
        .whereNull('deleted_at')
        .first('id');
      if (!resident)
        throw new ConflictError('INVITATION_STALE', 'Data penghuni untuk undangan ini sudah dihapus. Minta pengurus mengundang ulang.');
    }
    const member = await tx
      .query('memberships')
      .where({ estate_id: inv.estate_id, user_id: userId, role: inv.role })
      .whereNull('deleted_at')
      .first('id');
    if (!member) await insertMembership(tx, { estate_id: inv.estate_id, user_id: userId, role: inv.role, resident_id: inv.resident_id });
    await journalAccountForOtherEstates(tx, userId, inv.estate_id);
  });
}

/**
 * The account now works in one more estate: its row goes again to every other estate it belongs to, so a linked
 * desktop of such an estate receives it (without its password hash, account-sync.ts) and knows that the account's
 * sign-in is no longer its office's to change (server/sync/shared-accounts.ts). The row itself is unchanged; the
 * outbox row names only `updated_at`, so no column's version moves past a change the desktop made.
 */
async function journalAccountForOtherEstates(tx: PlatformStore, userId: string, joined: string): Promise<void> {
  const others = (await tx
    .query('memberships')
    .where({ user_id: userId })
    .whereNot({ estate_id: joined })
    .whereNull('deleted_at')
    .distinct('estate_id')) as { estate_id: string }[];
  if (!others.length) return;
  const at = nowIso();
  // Written and announced now, so a desktop waiting on a pull of such an estate hears of it within a second.
  const outbox = others.map((o) => outboxRow(tx.sync, o.estate_id, 'users', userId, 'update', at, ['updated_at']));
  await flushJournal(tx.knex as Knex.Transaction, { audit: [], outbox });
}

export async function declineMembershipInvitation(knex: Knex, sync: SyncContext, userId: string, id: string): Promise<void> {
  await new PlatformStore(knex, { userId, role: 'system' }, sync).transaction(async (tx) => {
    await respond(tx, userId, id, 'declined');
  });
}
