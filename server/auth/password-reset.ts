import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { GoneError, NotFoundError } from '../http/errors.ts';
import { refuseIfShared } from '../sync/shared-accounts.ts';
import { randomToken, sha256Hex } from './passwords.ts';

/** Long enough to pass a link over WhatsApp and open it, short enough that a forwarded chat is soon harmless. */
export const RESET_LINK_MINUTES = 60;

export function newResetToken(): { token: string; tokenHash: string } {
  const token = randomToken(32);
  return { token, tokenHash: sha256Hex(token) };
}

export function resetLinkUrl(publicUrl: string, token: string): string {
  return `${publicUrl}/portal/reset/${token}`;
}

interface ResetRow {
  id: string;
  estate_id: string;
  user_id: string;
  expires_at: string;
  used_at: string | null;
  revoked_at: string | null;
  user_name: string;
  estate_name: string;
}

const INVALID = () => new NotFoundError('Tautan', 'RESET_LINK_INVALID');
const USED = () => new GoneError('RESET_LINK_USED', 'Tautan ini sudah dipakai. Minta tautan baru ke pengurus.');
const EXPIRED = () => new GoneError('RESET_LINK_EXPIRED', 'Tautan ini sudah tidak berlaku. Minta tautan baru ke pengurus.');

/**
 * The link behind a token, or the reason it can no longer be used. A used link says so even after it expired, so a
 * member who opens it twice learns that their password was already set. The account and its membership are checked
 * again: a member the estate switched off meanwhile cannot come back through an old link.
 */
export async function openResetLink(knex: Knex, token: string): Promise<ResetRow> {
  if (!/^[A-Za-z0-9_-]{20,100}$/.test(token)) throw INVALID();
  const row = (await knex('password_resets')
    .join('users', 'users.id', 'password_resets.user_id')
    .join('estates', 'estates.id', 'password_resets.estate_id')
    .where('password_resets.token_hash', sha256Hex(token))
    .whereNull('users.deleted_at')
    .whereNull('estates.deleted_at')
    .first(
      'password_resets.id',
      'password_resets.estate_id',
      'password_resets.user_id',
      'password_resets.expires_at',
      'password_resets.used_at',
      'password_resets.revoked_at',
      'users.name as user_name',
      'estates.name as estate_name',
    )) as ResetRow | undefined;
  if (!row) throw INVALID();
  if (row.used_at) throw USED();
  if (row.revoked_at || row.expires_at <= nowIso()) throw EXPIRED();
  const member = await knex('memberships')
    .where({ user_id: row.user_id, estate_id: row.estate_id })
    .whereNull('deleted_at')
    .whereNull('deactivated_at')
    .first('id');
  if (!member) throw EXPIRED();
  return row;
}

/**
 * Uses the link once and sets the password. The claim is a conditional update checked by its row count, so of two
 * requests with the same link (also on PostgreSQL, where the second waits on the row lock and re-checks) only one
 * sets a password. Every session and bearer token of the account ends: whoever held them knew the old password.
 * An invited account whose invite lapsed becomes active this way, which is how the office resends an old invite.
 */
export async function useResetLink(knex: Knex, sync: SyncContext, token: string, passwordHash: string): Promise<string> {
  return new PlatformStore(knex, SYSTEM_ACTOR, sync).transaction(async (platform) => {
    const link = await openResetLink(platform.knex as Knex, token);
    // A link handed out before the account joined another estate on the hosted instance: its password is no longer
    // this office's to set (server/sync/shared-accounts.ts), and the hosted instance would refuse it.
    await refuseIfShared(platform.knex, link.user_id);
    const tx = platform.withActor({ userId: link.user_id, role: 'system' });
    const at = nowIso();
    const write = { estateId: link.estate_id };
    const claimed = await tx.update(
      'password_resets',
      (q) => q.where({ id: link.id }).whereNull('used_at').whereNull('revoked_at').where('expires_at', '>', at),
      { used_at: at },
      { ...write, action: 'password_resets.use' },
    );
    if (claimed.length !== 1) throw USED();
    const changed = await tx.update(
      'users',
      (q) => q.where({ id: link.user_id }).whereIn('status', ['active', 'invited']).whereNull('deleted_at'),
      { password_hash: passwordHash, status: 'active', failed_logins: 0, locked_until: null, updated_at: at },
      { ...write, action: 'users.password_reset' },
    );
    if (changed.length !== 1) throw EXPIRED();
    await endAccountSessions(tx, link.user_id, at, link.estate_id);
    return link.user_id;
  });
}

/** Ends every browser session and personal bearer token of an account (kiosk device tokens belong to no one). */
export async function endAccountSessions(tx: PlatformStore, userId: string, at: string, estateId: string | null): Promise<void> {
  await tx.update(
    'sessions',
    (q) => q.where({ user_id: userId }).whereNull('revoked_at'),
    { revoked_at: at },
    { estateId, action: 'sessions.revoke' },
  );
  await tx.update(
    'api_tokens',
    (q) => q.where({ user_id: userId, kind: 'user' }).whereNull('revoked_at'),
    { revoked_at: at },
    { estateId, action: 'api_tokens.revoke' },
  );
}
