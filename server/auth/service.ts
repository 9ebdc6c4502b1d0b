import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { normalizePhone } from '../residents/phone.ts';
import type { AppContext } from '../http/app-context.ts';
import { TooManyRequestsError, UnauthenticatedError } from '../http/errors.ts';
import { loadMemberships } from './authenticate.ts';
import { dummyPasswordHash, verifyPassword } from './passwords.ts';

export interface UserRow {
  id: string;
  name: string;
  email: string | null;
  phone: string | null;
  password_hash: string | null;
  is_platform_admin: boolean | number;
  status: string;
  failed_logins: number;
  locked_until: string | null;
}

export async function findUserByLogin(knex: Knex, login: string): Promise<UserRow | undefined> {
  const value = login.trim();
  const q = knex('users').whereNull('deleted_at');
  if (value.includes('@')) return q.where('email', value.toLowerCase()).first();
  const phone = normalizePhone(value);
  if (!phone) return undefined;
  return q.where('phone', phone).first();
}

/**
 * Checks a password with per-account lockout: after `lockoutThreshold` failures in a row the account refuses
 * logins for `lockoutMinutes`, whatever password is sent, so guessing from many IPs does not help.
 */
export async function checkCredentials(app: AppContext, login: string, password: string): Promise<UserRow> {
  const knex = app.db.knex;
  const user = await findUserByLogin(knex, login);
  if (!user || user.status !== 'active') {
    await verifyPassword(password, await dummyPasswordHash());
    throw new UnauthenticatedError('Email/nomor HP atau kata sandi salah.', 'INVALID_CREDENTIALS');
  }
  const now = nowIso();
  if (user.locked_until && user.locked_until > now) {
    const seconds = Math.ceil((Date.parse(user.locked_until) - Date.now()) / 1000);
    throw new TooManyRequestsError('ACCOUNT_LOCKED', 'Akun dikunci sementara karena terlalu banyak percobaan gagal.', seconds);
  }
  if (!(await verifyPassword(password, user.password_hash))) {
    const failures = user.failed_logins + 1;
    const lock = failures >= app.options.lockoutThreshold;
    await knex('users').where({ id: user.id }).update({
      failed_logins: lock ? 0 : failures,
      locked_until: lock ? new Date(Date.now() + app.options.lockoutMinutes * 60_000).toISOString() : user.locked_until,
    });
    if (lock) throw new TooManyRequestsError('ACCOUNT_LOCKED', 'Akun dikunci sementara karena terlalu banyak percobaan gagal.', app.options.lockoutMinutes * 60);
    throw new UnauthenticatedError('Email/nomor HP atau kata sandi salah.', 'INVALID_CREDENTIALS');
  }
  await knex('users').where({ id: user.id }).update({ failed_logins: 0, locked_until: null, last_login_at: now });
  return user;
}

export function publicUser(u: UserRow) {
  return { id: u.id, name: u.name, email: u.email, phone: u.phone, is_platform_admin: Boolean(u.is_platform_admin) };
}

export async function sessionPayload(knex: Knex, userId: string, csrfToken: string | undefined) {
  const user = (await knex('users').where({ id: userId }).first()) as UserRow;
  const memberships = await loadMemberships(knex, userId);
  const estates = await knex('estates').whereIn('id', memberships.map((m) => m.estate_id)).select('id', 'name');
  const names = new Map(estates.map((e: { id: string; name: string }) => [e.id, e.name]));
  return {
    user: publicUser(user),
    memberships: memberships.map((m) => ({ ...m, estate_name: names.get(m.estate_id) ?? '' })),
    csrf_token: csrfToken ?? null,
  };
}
