import crypto from 'node:crypto';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import type { ScopedStore } from '../db/scoped-store.ts';
import { hashPassword } from '../auth/passwords.ts';
import { grantableRoles, type Role } from '../auth/permissions.ts';
import { ConflictError, ForbiddenError, isUniqueViolation, ValidationError } from '../http/errors.ts';
import { whatsappDigits } from '../residents/index.ts';
import type { z } from 'zod';
import type { userCreateBody } from './schemas.ts';

export const INVITE_DAYS = 14;

// 32 symbols without 0/O/1/I so a code read aloud or typed from a slip survives; 16 of them are 80 random bits.
const CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
const CODE_LENGTH = 16;

export function newInviteCode(): string {
  return Array.from(crypto.randomBytes(CODE_LENGTH), (b) => CODE_ALPHABET[b & 31]).join('');
}

export function inviteLinks(publicUrl: string, estateName: string, code: string, name: string, phone: string | null) {
  const url = `${publicUrl}/portal/invite/${code}`;
  const text = `Halo ${name}, Anda diundang ke portal warga ${estateName} di Klustera. Buka ${url} untuk membuat kata sandi. Kode undangan: ${code}`;
  const whatsapp_url = `https://wa.me/${phone ? whatsappDigits(phone) : ''}?text=${encodeURIComponent(text)}`;
  return { code, url, whatsapp_url };
}

type UserCreateInput = z.infer<typeof userCreateBody>;

/**
 * Gives a person a role in the estate.
 *
 * - No account with this email/phone: a new account is created, active at once with a password, otherwise `invited`
 *   with one invite code that lets its holder choose the password (users/invite-service.ts).
 * - An account already exists (whatever its status, whichever estate): it is never attached and its credentials
 *   are never touched. A membership invitation is recorded instead, which the person accepts or declines while signed
 *   in with their own password. The answer repeats only what the caller typed, so it tells an estate nothing about
 *   someone else's account beyond "it exists".
 */
export async function createEstateUser(
  store: ScopedStore,
  estate: { id: string; name: string },
  publicUrl: string,
  input: UserCreateInput,
  actorRole: Role | undefined,
) {
  if (!grantableRoles(actorRole).includes(input.role)) {
    throw new ForbiddenError('Peran ini tidak boleh Anda berikan.', 'ROLE_NOT_ALLOWED');
  }
  if (input.role === 'resident' && !input.resident_id) {
    throw new ValidationError('Akun warga harus dihubungkan ke data penghuni.', 'resident_id');
  }
  const passwordHash = input.password ? await hashPassword(input.password) : null;
  try {
    return await store.transaction(async (tx) => {
      const platform = new PlatformStore(tx.knex, tx.actor, tx.sync);
      if (input.resident_id) await tx.get('residents', input.resident_id, 'Penghuni');
      const byEmail = input.email
        ? await platform.query('users').where({ email: input.email }).whereNull('deleted_at').first('id')
        : undefined;
      const byPhone = input.phone
        ? await platform.query('users').where({ phone: input.phone }).whereNull('deleted_at').first('id')
        : undefined;
      if (byEmail && byPhone && byEmail.id !== byPhone.id) {
        throw new ConflictError('DUPLICATE', 'Email dan nomor HP milik dua akun berbeda.', 'phone');
      }
      const existing = byEmail ?? byPhone;
      if (existing) {
        if (input.password) {
          throw new ConflictError(
            'DUPLICATE',
            'Akun dengan email/nomor HP ini sudah ada; kata sandinya tidak diubah dari sini.',
            input.email ? 'email' : 'phone',
          );
        }
        return {
          user: null,
          role: input.role,
          invite: undefined,
          membership_invitation: await inviteExistingAccount(tx, existing.id, input),
        };
      }

      const at = nowIso();
      const user = await platform.insert<{ id: string; name: string; email: string | null; phone: string | null; status: string }>(
        'users',
        {
          name: input.name,
          email: input.email ?? null,
          phone: input.phone ?? null,
          password_hash: passwordHash,
          is_platform_admin: false,
          status: passwordHash ? 'active' : 'invited',
          failed_logins: 0,
          created_at: at,
          updated_at: at,
        },
        { estateId: tx.estateId },
      );
      await tx.insert('memberships', { user_id: user.id, role: input.role, resident_id: input.resident_id ?? null });
      let invite: ReturnType<typeof inviteLinks> | undefined;
      if (!passwordHash) {
        // The only invite this account will ever have: it was created for exactly this new, password-less account.
        const code = newInviteCode();
        await tx.appendOnly('invites', {
          user_id: user.id,
          code,
          role: input.role,
          created_by: tx.actor.userId,
          expires_at: new Date(Date.now() + INVITE_DAYS * 86_400_000).toISOString(),
          created_at: at,
        });
        invite = inviteLinks(publicUrl, estate.name, code, user.name, user.phone);
      }
      return {
        user: { id: user.id, name: user.name, email: user.email, phone: user.phone, status: user.status },
        role: input.role,
        invite,
        membership_invitation: undefined,
      };
    });
  } catch (err) {
    // Two people adding the same email at once: the loser of the unique index gets the same answer as a late caller.
    if (isUniqueViolation(err))
      throw new ConflictError('DUPLICATE', 'Orang ini sudah ada atau sudah diundang dengan peran tersebut.', 'email');
    throw err;
  }
}

async function inviteExistingAccount(tx: ScopedStore, userId: string, input: UserCreateInput) {
  const member = await tx.live('memberships').where({ user_id: userId, role: input.role }).first('id');
  const pending = await tx
    .query('membership_invitations')
    .where({ user_id: userId, role: input.role, status: 'pending' })
    .where('expires_at', '>', nowIso())
    .first('id');
  if (member || pending)
    throw new ConflictError('DUPLICATE', 'Orang ini sudah memiliki atau sudah diundang dengan peran tersebut di perumahan ini.', 'role');
  const at = nowIso();
  // An expired invitation still holds the pending slot of the unique index; it is replaced by this one.
  await tx.updateWhere(
    'membership_invitations',
    (q) => q.where({ user_id: userId, role: input.role, status: 'pending' }),
    { status: 'expired', updated_at: at },
    'membership_invitations.expire',
  );
  const row = await tx.insert<Parameters<typeof pendingView>[0]>('membership_invitations', {
    user_id: userId,
    role: input.role,
    resident_id: input.resident_id ?? null,
    name: input.name,
    email: input.email ?? null,
    phone: input.phone ?? null,
    invited_by: tx.actor.userId,
    status: 'pending',
    expires_at: new Date(Date.now() + INVITE_DAYS * 86_400_000).toISOString(),
    responded_at: null,
  });
  return pendingView(row);
}

/** What the inviting estate may see of an invitation: what it typed itself, never the account's own details. */
function pendingView(row: {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  role: string;
  status: string;
  expires_at: string;
  created_at: string;
}) {
  return {
    id: row.id,
    name: row.name,
    email: row.email,
    phone: row.phone,
    role: row.role,
    status: row.status,
    expires_at: row.expires_at,
    created_at: row.created_at,
  };
}

export async function listEstateUsers(store: ScopedStore) {
  const rows = await store
    .live('memberships')
    .join('users', 'users.id', 'memberships.user_id')
    .whereNull('users.deleted_at')
    .orderBy('users.name')
    .select(
      'memberships.id as membership_id',
      'memberships.role',
      'memberships.resident_id',
      'users.id',
      'users.name',
      'users.email',
      'users.phone',
      'users.status',
      'users.last_login_at',
      'memberships.deactivated_at',
    );
  const pending = await store
    .query('membership_invitations')
    .where({ status: 'pending' })
    .where('expires_at', '>', nowIso())
    .orderBy('created_at')
    .select('id', 'name', 'email', 'phone', 'role', 'status', 'expires_at', 'created_at');
  return { items: rows, pending_invitations: pending.map(pendingView) };
}
