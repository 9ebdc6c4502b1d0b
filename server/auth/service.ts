import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore, platformKnex } from '../db/platform-store.ts';
import { normalizePhone } from '../residents/phone.ts';
import type { AppContext } from '../http/app-context.ts';
import { TooManyRequestsError, UnauthenticatedError } from '../http/errors.ts';
import { loadMemberships } from './authenticate.ts';
import { beginLoginAttempt, type LoginOrigin } from './login-throttle.ts';
import { dummyPasswordHash, randomToken, verifyPassword } from './passwords.ts';

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

const INVALID = () => new UnauthenticatedError('Email/nomor HP atau kata sandi salah.', 'INVALID_CREDENTIALS');
const LOCKED = (seconds: number) =>
  new TooManyRequestsError('ACCOUNT_LOCKED', 'Akun dikunci sementara karena terlalu banyak percobaan gagal.', seconds);

/**
 * Checks a password, throttled per account and per source (see login-throttle.ts). Every path runs one scrypt
 * verification, so neither an unknown account nor a lock answers faster than a wrong password.
 * Returns the device token the browser should keep (a new one unless it sent a plausible one).
 */
export async function checkCredentials(
  app: AppContext,
  login: string,
  password: string,
  origin: LoginOrigin,
): Promise<{ user: UserRow; deviceToken: string }> {
  const knex = platformKnex(app.db.knex);
  const user = await findUserByLogin(knex, login);
  if (!user || user.status !== 'active') {
    await verifyPassword(password, await dummyPasswordHash());
    throw INVALID();
  }
  const attempt = await beginLoginAttempt(knex, user.id, origin, app.options);
  const ok = await verifyPassword(password, user.password_hash);
  if (!attempt.allowed) {
    await attempt.failed();
    throw LOCKED(attempt.retryAfterSeconds);
  }
  if (!ok) {
    const lockedFor = await attempt.failed();
    if (lockedFor) throw LOCKED(lockedFor);
    throw INVALID();
  }
  const deviceToken = origin.deviceToken ?? randomToken();
  await attempt.succeeded(deviceToken);
  await new PlatformStore(knex, { userId: user.id, role: 'system' }, app.sync).update(
    'users',
    (q) => q.where({ id: user.id }),
    { last_login_at: nowIso() },
    { estateId: null, action: 'users.login' },
  );
  return { user, deviceToken };
}

export function publicUser(u: UserRow) {
  return { id: u.id, name: u.name, email: u.email, phone: u.phone, is_platform_admin: Boolean(u.is_platform_admin) };
}

export async function sessionPayload(knex: Knex, userId: string, csrfToken: string | undefined) {
  const user = (await knex('users').where({ id: userId }).first()) as UserRow;
  const memberships = await loadMemberships(knex, userId);
  const estates = await knex('estates')
    .whereIn(
      'id',
      memberships.map((m) => m.estate_id),
    )
    .select('id', 'name', 'timezone');
  const byId = new Map(estates.map((e: { id: string; name: string; timezone: string }) => [e.id, e]));
  return {
    user: publicUser(user),
    // The estate's zone comes with the session, so every screen shows the estate's calendar from the first paint.
    memberships: memberships.map((m) => ({
      ...m,
      estate_name: byId.get(m.estate_id)?.name ?? '',
      estate_timezone: byId.get(m.estate_id)?.timezone || 'Asia/Jakarta',
    })),
    csrf_token: csrfToken ?? null,
  };
}
