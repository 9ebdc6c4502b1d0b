import type { Request } from 'express';
import { parse as parseCookie } from 'cookie';
import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { queryTemplate } from '../db/query-template.ts';
import { isRole, type Role } from './permissions.ts';
import { sha256Hex } from './passwords.ts';
import { deviceCookieToken, wantsDeviceCookie } from './device-cookie.ts';

export const SESSION_COOKIE = 'klustera_session';

export interface Membership {
  estate_id: string;
  role: Role;
  resident_id: string | null;
}

export interface AuthInfo {
  via: 'session' | 'token' | 'device';
  userId: string | null;
  isPlatformAdmin: boolean;
  memberships: Membership[];
  sessionId?: string;
  csrfToken?: string;
  tokenId?: string;
  /** Devices (kiosks) belong to one estate and act with the guard role there. */
  deviceId?: string;
  deviceEstateId?: string;
}

// Every request runs these; compiled once (see queryTemplate).
const membershipsQuery = queryTemplate<'userId'>((knex, p) =>
  knex('memberships')
    .join('estates', 'estates.id', 'memberships.estate_id')
    .where('memberships.user_id', p.userId)
    .whereNull('memberships.deleted_at')
    // A member the estate switched off holds no role there from their next request on (users/member-admin.ts).
    .whereNull('memberships.deactivated_at')
    .whereNull('estates.deleted_at')
    .select('memberships.estate_id', 'memberships.role', 'memberships.resident_id'),
);

const sessionQuery = queryTemplate<'tokenHash' | 'now'>((knex, p) =>
  knex('sessions')
    .join('users', 'users.id', 'sessions.user_id')
    .where('sessions.token_hash', p.tokenHash)
    .whereNull('sessions.revoked_at')
    .where('sessions.expires_at', '>', p.now)
    .whereNull('users.deleted_at')
    .where('users.status', 'active')
    .first('sessions.id', 'sessions.user_id', 'sessions.csrf_token', 'users.is_platform_admin'),
);

const tokenQuery = queryTemplate<'tokenHash'>((knex, p) =>
  knex('api_tokens')
    .leftJoin('users', 'users.id', 'api_tokens.user_id')
    .where('api_tokens.token_hash', p.tokenHash)
    .whereNull('api_tokens.revoked_at')
    .first('api_tokens.*', 'users.status as user_status', 'users.deleted_at as user_deleted_at', 'users.is_platform_admin'),
);

interface TokenRow {
  id: string;
  kind: string;
  estate_id: string;
  device_id: string | null;
  user_id: string | null;
  user_status: string | null;
  user_deleted_at: string | null;
  is_platform_admin: unknown;
}

export async function loadMemberships(knex: Knex, userId: string): Promise<Membership[]> {
  const rows = await membershipsQuery<Membership>(knex, { userId });
  return rows.filter((r) => isRole(r.role));
}

/** Resolves the caller from the session cookie or a bearer token; null when neither is valid. */
export async function authenticate(knex: Knex, req: Request): Promise<AuthInfo | null> {
  const header = req.headers.authorization;
  if (typeof header === 'string' && header.toLowerCase().startsWith('bearer ')) {
    return authenticateToken(knex, header.slice(7).trim());
  }
  // The kiosk client speaks only as its device (see device-cookie.ts), never as a session open in the same browser.
  if (wantsDeviceCookie(req)) {
    const deviceToken = deviceCookieToken(req);
    const device = deviceToken ? await authenticateToken(knex, deviceToken) : null;
    return device?.via === 'device' ? device : null;
  }
  const cookies = req.headers.cookie ? parseCookie(req.headers.cookie) : {};
  const token = cookies[SESSION_COOKIE];
  if (!token) return null;
  const [session] = await sessionQuery<{ id: string; user_id: string; csrf_token: string; is_platform_admin: unknown }>(knex, {
    tokenHash: sha256Hex(token),
    now: nowIso(),
  });
  if (!session) return null;
  return {
    via: 'session',
    userId: session.user_id,
    isPlatformAdmin: Boolean(session.is_platform_admin),
    memberships: await loadMemberships(knex, session.user_id),
    sessionId: session.id,
    csrfToken: session.csrf_token,
  };
}

async function authenticateToken(knex: Knex, token: string): Promise<AuthInfo | null> {
  if (!token || token.length > 200) return null;
  const [row] = await tokenQuery<TokenRow>(knex, { tokenHash: sha256Hex(token) });
  if (!row) return null;
  if (row.kind === 'device') {
    return {
      via: 'device',
      userId: null,
      isPlatformAdmin: false,
      memberships: [{ estate_id: row.estate_id, role: 'guard', resident_id: null }],
      tokenId: row.id,
      deviceId: row.device_id ?? row.id,
      deviceEstateId: row.estate_id,
    };
  }
  if (!row.user_id || row.user_status !== 'active' || row.user_deleted_at) return null;
  return {
    via: 'token',
    userId: row.user_id,
    isPlatformAdmin: Boolean(row.is_platform_admin),
    memberships: await loadMemberships(knex, row.user_id),
    tokenId: row.id,
  };
}
