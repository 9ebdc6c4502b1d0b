import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { writeAuditAndOutbox } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { isRole } from '../auth/permissions.ts';
import { insertMembership } from '../estates/service.ts';
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
    .select('mi.id', 'mi.estate_id', 'estates.name as estate_name', 'mi.role', 'inviter.name as invited_by_name', 'mi.created_at', 'mi.expires_at');
  return { items: rows.map((r: Record<string, unknown>) => ({ ...r, invited_by_name: (r.invited_by_name as string) ?? null })) };
}

/** Answers a pending invitation once: a conditional update, so a double click or a race answers it only once. */
async function respond(trx: Knex.Transaction, userId: string, id: string, status: 'accepted' | 'declined') {
  const row = await trx('membership_invitations').where({ id, user_id: userId }).first();
  if (!row) throw new NotFoundError('Undangan');
  const at = nowIso();
  const changed = await trx('membership_invitations')
    .where({ id, user_id: userId, status: 'pending' })
    .where('expires_at', '>', at)
    .update({ status, responded_at: at, updated_at: at });
  if (changed !== 1) {
    if (row.status !== 'pending') throw new ConflictError('INVITATION_ANSWERED', 'Undangan ini sudah dijawab.');
    throw new NotFoundError('Undangan');
  }
  return { ...row, status, responded_at: at, updated_at: at };
}

export async function acceptMembershipInvitation(knex: Knex, sync: SyncContext, userId: string, id: string): Promise<void> {
  await knex.transaction(async (trx) => {
    const inv = await respond(trx, userId, id, 'accepted');
    const actor = { userId, role: isRole(inv.role) ? inv.role : 'system' as const };
    const estate = await trx('estates').where({ id: inv.estate_id }).whereNull('deleted_at').first('id');
    if (!estate) throw new NotFoundError('Undangan');
    if (inv.resident_id) {
      const resident = await trx('residents').where({ id: inv.resident_id, estate_id: inv.estate_id }).whereNull('deleted_at').first('id');
      if (!resident) throw new ConflictError('INVITATION_STALE', 'Data penghuni untuk undangan ini sudah dihapus. Minta pengurus mengundang ulang.');
    }
    await writeAuditAndOutbox(trx, sync, actor, inv.estate_id, {
      action: 'membership_invitations.accept', table: 'membership_invitations', rowId: inv.id, after: inv, op: 'update',
    });
    const member = await trx('memberships').where({ estate_id: inv.estate_id, user_id: userId, role: inv.role }).whereNull('deleted_at').first('id');
    if (!member) await insertMembership(trx, sync, actor, { estate_id: inv.estate_id, user_id: userId, role: inv.role, resident_id: inv.resident_id });
  });
}

export async function declineMembershipInvitation(knex: Knex, sync: SyncContext, userId: string, id: string): Promise<void> {
  await knex.transaction(async (trx) => {
    const inv = await respond(trx, userId, id, 'declined');
    await writeAuditAndOutbox(trx, sync, { userId, role: 'system' }, inv.estate_id, {
      action: 'membership_invitations.decline', table: 'membership_invitations', rowId: inv.id, after: inv, op: 'update',
    });
  });
}
