import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { dialectOf } from '../db/knex.ts';
import { PlatformStore, platformKnex } from '../db/platform-store.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { endAccountSessions, newResetToken, RESET_LINK_MINUTES, resetLinkUrl } from '../auth/password-reset.ts';
import { grantableRoles, type Role } from '../auth/permissions.ts';
import { ConflictError, ForbiddenError, NotFoundError, UnprocessableError } from '../http/errors.ts';
import { whatsappDigits } from '../residents/index.ts';
import { sharedOnHostedInstance } from '../sync/shared-accounts.ts';
import { inviteLinks } from './service.ts';

/**
 * What an estate's administrators do to the people who already have a role there: change the role, switch a member
 * off and on, and hand a member a one-time link to set a new password. Every rule here reads through the estate's
 * scoped store, so a membership of another estate is "not found" whatever its id.
 */

interface MemberRow {
  id: string;
  user_id: string;
  role: Role;
  deactivated_at: string | null;
  name: string;
  phone: string | null;
  status: string;
  is_platform_admin: unknown;
  /** An active account without a password here: its row came by sync from the site that keeps its credentials. */
  no_password: unknown;
}

async function member(tx: ScopedStore, membershipId: string): Promise<MemberRow> {
  const row = (await tx
    .live('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .whereNull('users.deleted_at')
    .where('memberships.id', membershipId)
    .first(
      'memberships.id',
      'memberships.user_id',
      'memberships.role',
      'memberships.deactivated_at',
      'users.name',
      'users.phone',
      'users.status',
      'users.is_platform_admin',
      tx.knex.raw('case when users.password_hash is null then 1 else 0 end as no_password'),
    )) as MemberRow | undefined;
  if (!row) throw new NotFoundError('Anggota');
  return row;
}

/**
 * Serialises changes to the estate's administrators on PostgreSQL: two admins demoting each other at once must not
 * both see the other as the remaining admin. SQLite runs one write transaction at a time already.
 */
async function lockAdmins(tx: ScopedStore): Promise<void> {
  if (dialectOf(tx.knex as Knex) === 'postgres') {
    await tx.knex.raw('select pg_advisory_xact_lock(hashtext(?))', [`estate-admins:${tx.estateId}`]);
  }
}

/** The estate keeps at least one active administrator: otherwise nobody could manage its people again. */
async function assertAnotherAdmin(tx: ScopedStore, m: MemberRow): Promise<void> {
  if (m.role !== 'estate_admin' || m.deactivated_at) return;
  const other = await tx
    .live('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .where('memberships.role', 'estate_admin')
    .whereNull('memberships.deactivated_at')
    .whereNot('memberships.id', m.id)
    .whereNull('users.deleted_at')
    .where('users.status', 'active')
    .first('memberships.id');
  if (!other) throw new ConflictError('LAST_ADMIN', 'Ini satu-satunya admin perumahan. Jadikan orang lain admin terlebih dahulu.', 'role');
}

/** An account that also works elsewhere (another estate, the whole installation) is its owner's, not this estate's. */
async function assertAccountOnlyHere(tx: ScopedStore, m: MemberRow): Promise<void> {
  // Reads the account's memberships everywhere, which the estate's own store cannot: that is the point of the check
  // (and on PostgreSQL it needs the platform scope of row-level security to see them).
  const elsewhere = await platformKnex(tx.knex)('memberships')
    .where({ user_id: m.user_id })
    .whereNot({ estate_id: tx.estateId })
    .whereNull('deleted_at')
    .first('id');
  // An active account that arrived by sync without its password hash works in another estate on the other site
  // (server/sync/README.md): a password set here would be refused there, so it is its owner's to change, there.
  // Or its row last came from the hosted instance without the hash it has here: it joined another estate there.
  const credentialsElsewhere = (m.status === 'active' && Number(m.no_password) === 1) || (await sharedOnHostedInstance(tx.knex, m.user_id));
  if (elsewhere || m.is_platform_admin || credentialsElsewhere)
    throw new ForbiddenError(
      'Akun ini juga dipakai di perumahan lain, jadi kata sandinya hanya bisa diganti oleh pemiliknya.',
      'ACCOUNT_OUTSIDE_ESTATE',
    );
}

function memberView(m: MemberRow) {
  return { membership_id: m.id, user_id: m.user_id, role: m.role, status: m.status, deactivated_at: m.deactivated_at };
}

export async function changeMemberRole(store: ScopedStore, membershipId: string, role: Role, actorRole: Role | undefined) {
  return store.transaction(async (tx) => {
    await lockAdmins(tx);
    const m = await member(tx, membershipId);
    if (m.role === role) return memberView(m);
    if (!grantableRoles(actorRole).includes(role) || !grantableRoles(actorRole).includes(m.role))
      throw new ForbiddenError('Peran ini tidak boleh Anda berikan.', 'ROLE_NOT_ALLOWED');
    // A resident's role is tied to their resident record and unit; office roles are given by a new invitation.
    if (m.role === 'resident' || role === 'resident')
      throw new UnprocessableError(
        'ROLE_CHANGE_NOT_ALLOWED',
        'Peran warga tidak bisa ditukar dengan peran pengurus; undang ulang dengan peran baru.',
        'role',
      );
    if (role !== 'estate_admin') await assertAnotherAdmin(tx, m);
    const holds = await tx.live('memberships').where({ user_id: m.user_id, role }).first('id');
    if (holds) throw new ConflictError('DUPLICATE', 'Orang ini sudah memiliki peran tersebut di perumahan ini.', 'role');
    await tx.update('memberships', m.id, { role }, 'memberships.role_change');
    return memberView({ ...m, role });
  });
}

/**
 * Switches a member off (or on again). Their role in this estate ends with their next request, and open reset links
 * die with it. When this estate was the only place the account worked, every session and token ends at once too;
 * an account that also serves another estate keeps its sign-in there, which this estate has no say over.
 */
export async function setMemberActive(store: ScopedStore, membershipId: string, active: boolean) {
  return store.transaction(async (tx) => {
    await lockAdmins(tx);
    const m = await member(tx, membershipId);
    if (active === !m.deactivated_at) return memberView(m);
    const at = nowIso();
    if (active) {
      await tx.update('memberships', m.id, { deactivated_at: null }, 'memberships.reactivate');
      return memberView({ ...m, deactivated_at: null });
    }
    await assertAnotherAdmin(tx, m);
    await tx.update('memberships', m.id, { deactivated_at: at }, 'memberships.deactivate');
    await tx.updateWhere(
      'password_resets',
      (q) => q.where({ user_id: m.user_id }).whereNull('used_at').whereNull('revoked_at'),
      { revoked_at: at },
      'password_resets.revoke',
    );
    // Every estate's memberships of the account, so the platform scope.
    const stillWorks = await platformKnex(tx.knex)('memberships')
      .where({ user_id: m.user_id })
      .whereNull('deleted_at')
      .whereNull('deactivated_at')
      .first('id');
    if (!stillWorks && !m.is_platform_admin) {
      await new PlatformStore(tx.knex, tx.actor, tx.sync).transaction((platform) =>
        endAccountSessions(platform, m.user_id, at, tx.estateId),
      );
    }
    return memberView({ ...m, deactivated_at: at });
  });
}

function resetText(kind: 'reset' | 'setup', name: string, estateName: string, url: string): string {
  return kind === 'reset'
    ? `Halo ${name}, ini tautan untuk membuat kata sandi baru Klustera ${estateName}: ${url} — berlaku ${RESET_LINK_MINUTES} menit dan hanya sekali pakai. Jangan teruskan ke orang lain.`
    : `Halo ${name}, Anda diundang ke Klustera ${estateName}. Buka ${url} untuk membuat kata sandi — berlaku ${RESET_LINK_MINUTES} menit dan hanya sekali pakai.`;
}

async function issueResetLink(tx: ScopedStore, m: MemberRow, estate: { name: string }, publicUrl: string, kind: 'reset' | 'setup') {
  const at = nowIso();
  // One open link per account: a new one makes an earlier, perhaps forwarded, one useless.
  await tx.updateWhere(
    'password_resets',
    (q) => q.where({ user_id: m.user_id }).whereNull('used_at').whereNull('revoked_at'),
    { revoked_at: at },
    'password_resets.revoke',
  );
  const { token, tokenHash } = newResetToken();
  const expiresAt = new Date(Date.now() + RESET_LINK_MINUTES * 60_000).toISOString();
  await tx.appendOnly('password_resets', {
    user_id: m.user_id,
    token_hash: tokenHash,
    created_by: tx.actor.userId,
    expires_at: expiresAt,
    created_at: at,
  });
  const url = resetLinkUrl(publicUrl, token);
  const text = resetText(kind, m.name, estate.name, url);
  return {
    code: null,
    url,
    whatsapp_url: `https://wa.me/${m.phone ? whatsappDigits(m.phone) : ''}?text=${encodeURIComponent(text)}`,
    expires_at: expiresAt,
  };
}

/** A one-time link for a member who forgot their password; the office passes it on (WhatsApp) and never sees it used. */
export async function createPasswordResetLink(store: ScopedStore, estate: { name: string }, publicUrl: string, membershipId: string) {
  return store.transaction(async (tx) => {
    const m = await member(tx, membershipId);
    if (m.deactivated_at) throw new ConflictError('MEMBER_DEACTIVATED', 'Aktifkan anggota ini terlebih dahulu.');
    if (m.status !== 'active') throw new ConflictError('ACCOUNT_NOT_ACTIVE', 'Akun ini belum aktif: kirim ulang undangannya.');
    await assertAccountOnlyHere(tx, m);
    return issueResetLink(tx, m, estate, publicUrl, 'reset');
  });
}

/**
 * The invite again, for a member who lost it. While the account's one invite code is still open it is sent again
 * as it was; once it lapsed, a one-time link sets the first password instead (an invite code is never minted twice
 * for one account, see invite-service.ts).
 */
export async function resendInvite(
  store: ScopedStore,
  estate: { name: string },
  publicUrl: string,
  membershipId: string,
  actorRole: Role | undefined,
) {
  return store.transaction(async (tx) => {
    const m = await member(tx, membershipId);
    if (!grantableRoles(actorRole).includes(m.role)) throw new ForbiddenError('Peran ini tidak boleh Anda berikan.', 'ROLE_NOT_ALLOWED');
    if (m.deactivated_at) throw new ConflictError('MEMBER_DEACTIVATED', 'Aktifkan anggota ini terlebih dahulu.');
    if (m.status !== 'invited') throw new ConflictError('NOT_INVITED', 'Akun ini sudah aktif; buat tautan ganti kata sandi bila perlu.');
    await assertAccountOnlyHere(tx, m);
    // The account's first invite, whichever estate made it, so the platform scope.
    const first = await platformKnex(tx.knex)('invites')
      .where({ user_id: m.user_id })
      .orderBy([{ column: 'created_at' }, { column: 'id' }])
      .first('estate_id', 'code', 'expires_at', 'accepted_at');
    if (first && first.estate_id === tx.estateId && !first.accepted_at && first.expires_at > nowIso()) {
      return { ...inviteLinks(publicUrl, estate.name, first.code, m.name, m.phone), expires_at: first.expires_at as string };
    }
    return issueResetLink(tx, m, estate, publicUrl, 'setup');
  });
}
