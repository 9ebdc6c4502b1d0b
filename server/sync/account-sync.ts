import type { Knex } from 'knex';
import { endAccountSessions } from '../auth/password-reset.ts';
import { isRole } from '../auth/permissions.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { AppError, ConflictError, ForbiddenError } from '../http/errors.ts';
import { canonicalValue } from './field-merge.ts';
import type { SyncChange } from './sync-change.ts';

/**
 * Accounts and memberships across the two sites of one estate (server/sync/README.md, "Accounts and memberships").
 * An account is the estate's own on a site when it holds a membership of the estate there (or was journaled for it)
 * and works nowhere else: no platform administrator, no membership of another estate. Only such an account is
 * written by the other site; one that works elsewhere keeps its credentials where they are, and its row travels
 * without its password hash.
 */

type Row = Record<string, unknown>;

const truthy = (v: unknown) => v === true || v === 1 || v === '1' || v === 't' || v === 'true';

/** What an account that works elsewhere must never have changed by another site: who signs in, and how. */
const CREDENTIAL_COLUMNS = ['email', 'phone', 'password_hash', 'status', 'deleted_at'] as const;

function refusePlatform(): never {
  throw new ForbiddenError('Administrator platform tidak ikut disinkronkan.', 'SYNC_PLATFORM_ADMIN_REFUSED');
}

const OUTSIDE_MESSAGE = 'Akun ini juga dipakai di luar perumahan ini dan tidak bisa diubah lewat sinkronisasi.';

/**
 * `account`: the account whose sign-in the change would alter. The answer names it, so the desktop that made the
 * change can set it aside and send the rest (shared-accounts.ts), also when it never heard the account is shared.
 */
function refuseOutside(account?: string): never {
  if (!account) throw new ForbiddenError(OUTSIDE_MESSAGE, 'SYNC_ACCOUNT_OUTSIDE_ESTATE');
  throw new AppError(403, 'SYNC_ACCOUNT_OUTSIDE_ESTATE', OUTSIDE_MESSAGE, undefined, [{ table: 'users', row_id: account }]);
}

/**
 * Refuses a change that would make a platform administrator: the flag is each installation's own (journal-policy.ts),
 * so a change carrying it set is forged, and a platform role is no estate's to give.
 */
export function refusePlatformChange(change: SyncChange): void {
  if (change.table !== 'users' && change.table !== 'memberships') return;
  if (truthy(change.row.is_platform_admin) || (change.table === 'memberships' && change.row.role === 'platform_admin')) refusePlatform();
}

/** Of `userIds`, the accounts that on this site are a platform administrator or a member of another estate. */
export async function accountsOutsideEstate(
  knex: Knex | Knex.Transaction,
  estateId: string,
  userIds: readonly string[],
): Promise<Set<string>> {
  const out = new Set<string>();
  if (!userIds.length) return out;
  for (let i = 0; i < userIds.length; i += 200) {
    const ids = userIds.slice(i, i + 200);
    for (const u of (await knex('users').whereIn('id', ids).select('id', 'is_platform_admin')) as Row[]) {
      if (truthy(u.is_platform_admin)) out.add(String(u.id));
    }
    const elsewhere = (await knex('memberships')
      .whereIn('user_id', ids)
      .whereNot('estate_id', estateId)
      .whereNull('deleted_at')
      .distinct('user_id')) as { user_id: string }[];
    for (const m of elsewhere) out.add(m.user_id);
  }
  return out;
}

/** Of `userIds`, the accounts this site knows as the estate's: a membership of it (any state) or a journal row for it. */
async function accountsOfEstate(trx: Knex.Transaction, estateId: string, userIds: readonly string[]): Promise<Set<string>> {
  if (!userIds.length) return new Set();
  const members = (await trx('memberships').whereIn('user_id', userIds).where('estate_id', estateId).distinct('user_id')) as {
    user_id: string;
  }[];
  const journaled = (await trx('outbox')
    .where({ table_name: 'users', estate_id: estateId })
    .whereIn('row_id', userIds)
    .distinct('row_id')) as { row_id: string }[];
  return new Set([...members.map((m) => m.user_id), ...journaled.map((j) => j.row_id)]);
}

/** Another live account here with the row's e-mail or phone (the unique indexes would refuse the row). */
async function takenBy(trx: Knex.Transaction, row: Row): Promise<boolean> {
  if (row.deleted_at !== null && row.deleted_at !== undefined) return false;
  for (const column of ['email', 'phone'] as const) {
    const value = row[column];
    if (typeof value !== 'string' || !value) continue;
    const other = await trx('users').where(column, value).whereNull('deleted_at').whereNot('id', String(row.id)).first('id');
    if (other) return true;
  }
  return false;
}

/**
 * Checks a batch's account and membership changes before anything is written; throws to refuse the whole batch.
 * Returns the indexes of changes held back: written nowhere, answered as unchanged (an account whose e-mail or phone
 * belongs to another account here, and the memberships of such an account), so sync goes on without a duplicate
 * account and without touching the one held.
 */
export async function checkAccountChanges(trx: Knex.Transaction, estateId: string, changes: readonly SyncChange[]): Promise<Set<number>> {
  const heldBack = new Set<number>();
  const users = [...changes.entries()].filter(([, c]) => c.table === 'users');
  const members = [...changes.entries()].filter(([, c]) => c.table === 'memberships');
  if (!users.length && !members.length) return heldBack;
  for (const [, change] of members) {
    if (typeof change.row.role !== 'string' || !isRole(change.row.role) || typeof change.row.user_id !== 'string') {
      throw new ConflictError('SYNC_BATCH_REJECTED', 'Server awan menolak sebagian perubahan. Hubungi pengelola.');
    }
  }
  const userIds = [...new Set([...users.map(([, c]) => c.row_id), ...members.map(([, c]) => String(c.row.user_id))])];
  const heldUsers = new Map<string, Row>();
  for (const u of (await trx('users').whereIn('id', userIds)) as Row[]) heldUsers.set(String(u.id), u);
  const outside = await accountsOutsideEstate(trx, estateId, userIds);
  const ours = await accountsOfEstate(trx, estateId, userIds);
  const brought = new Set<string>();
  const withheld = new Set<string>();
  for (const [index, change] of users) {
    const held = heldUsers.get(change.row_id);
    if (held && (outside.has(change.row_id) || !ours.has(change.row_id))) {
      // Someone else's account (another estate's, the platform's): its sign-in is not this estate's to change. The
      // same row sent back, or one without the hash (a site that never held it), changes nothing and is let pass.
      for (const column of CREDENTIAL_COLUMNS) {
        const incoming = change.row[column];
        if (!(column in change.row) || (column === 'password_hash' && incoming === null)) continue;
        if (canonicalValue(incoming) !== canonicalValue(held[column])) refuseOutside(change.row_id);
      }
      heldBack.add(index);
      continue;
    }
    if (!held && (await takenBy(trx, change.row))) {
      heldBack.add(index);
      withheld.add(change.row_id);
      continue;
    }
    brought.add(change.row_id);
  }
  const heldMemberships = new Map<string, Row>();
  const memberIds = members.map(([, c]) => c.row_id);
  for (let i = 0; i < memberIds.length; i += 200) {
    for (const m of (await trx('memberships').whereIn('id', memberIds.slice(i, i + 200))) as Row[]) heldMemberships.set(String(m.id), m);
  }
  for (const [index, change] of members) {
    const userId = String(change.row.user_id);
    const held = heldMemberships.get(change.row_id);
    if (held) {
      // A role changes, a member is switched off or removed; a membership never moves to another account.
      if (held.user_id !== userId) refuseOutside();
      continue;
    }
    if (withheld.has(userId) || (!heldUsers.has(userId) && !brought.has(userId))) {
      heldBack.add(index);
      continue;
    }
    // A new membership only for the estate's own account: another site cannot attach someone else's account (that
    // takes the person's consent, users/membership-invitations.ts).
    if (outside.has(userId) || !(brought.has(userId) || ours.has(userId))) refuseOutside();
  }
  return heldBack;
}

/**
 * After a batch: an account whose last active membership here was switched off or removed by the other site signs out
 * everywhere on this site, as when the office does it here (users/member-admin.ts). A platform administrator keeps
 * their sessions.
 */
export async function endSessionsOfRemovedMembers(
  trx: Knex.Transaction,
  estateId: string,
  sync: SyncContext,
  userIds: ReadonlySet<string>,
  at: string,
): Promise<void> {
  for (const userId of userIds) {
    const user = (await trx('users').where({ id: userId }).first('is_platform_admin')) as Row | undefined;
    if (!user || truthy(user.is_platform_admin)) continue;
    const active = await trx('memberships').where({ user_id: userId }).whereNull('deleted_at').whereNull('deactivated_at').first('id');
    if (active) continue;
    await new PlatformStore(trx, SYSTEM_ACTOR, sync).transaction((platform) => endAccountSessions(platform, userId, at, estateId));
  }
}

/**
 * Outgoing changes with their accounts: each membership is preceded by its account's row (the batch's own, moved up,
 * or the account as it is now), so the receiver never meets a membership of an account it does not know. The row of
 * an account that works beyond the estate here travels without its password hash: the other site may show and link
 * it, never sign it in with a credential that is not the estate's. `platformAdminsOutside`: the hosted instance counts
 * its platform administrators as outside every estate; a desktop's own administrator is its estate's office.
 */
export async function withAccountRows(
  knex: Knex | Knex.Transaction,
  estateId: string,
  changes: SyncChange[],
  accountRows: (userIds: string[]) => Promise<Map<string, SyncChange>>,
  platformAdminsOutside: boolean,
): Promise<SyncChange[]> {
  if (!changes.some((c) => c.table === 'users' || c.table === 'memberships')) return changes;
  const accounts = new Map(changes.filter((c) => c.table === 'users').map((c) => [c.row_id, c]));
  const missing = [...new Set(changes.filter((c) => c.table === 'memberships').map((c) => String(c.row.user_id)))].filter(
    (id) => !accounts.has(id),
  );
  for (const [id, change] of await accountRows(missing)) accounts.set(id, change);
  const out: SyncChange[] = [];
  const emitted = new Set<string>();
  const emit = (userId: string) => {
    const account = accounts.get(userId);
    if (!account || emitted.has(userId)) return;
    emitted.add(userId);
    out.push(account);
  };
  for (const change of changes) {
    if (change.table === 'users') emit(change.row_id);
    else {
      if (change.table === 'memberships') emit(String(change.row.user_id));
      out.push(change);
    }
  }
  const sent = [...emitted];
  const outside = await accountsOutsideEstate(knex, estateId, sent);
  if (!platformAdminsOutside) {
    const admins = (await knex('memberships')
      .whereIn('user_id', sent)
      .whereNot('estate_id', estateId)
      .whereNull('deleted_at')
      .distinct('user_id')) as {
      user_id: string;
    }[];
    const elsewhere = new Set(admins.map((m) => m.user_id));
    for (const id of [...outside]) if (!elsewhere.has(id)) outside.delete(id);
  }
  for (const change of out) {
    if (change.table !== 'users' || !outside.has(change.row_id)) continue;
    const row = { ...change.row };
    delete row.password_hash;
    change.row = row;
  }
  return out;
}
