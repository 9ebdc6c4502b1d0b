import type { Request } from 'express';
import { parse as parseCookie } from 'cookie';
import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { selfScopedKnex } from '../db/platform-store.ts';
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

// A session, its user and every estate membership the user holds, in one statement: the membership columns are null
// on the one row of a user with no membership. Two queries per request were a measurable share of a small request.
const ACTIVE_MEMBERSHIPS = `left join memberships m on m.user_id = u.id and m.deleted_at is null and m.deactivated_at is null
    and exists (select 1 from estates e where e.id = m.estate_id and e.deleted_at is null)`;

const sessionQuery = queryTemplate<'tokenHash' | 'now'>((knex, p) =>
  knex.raw(
    `select s.id, s.user_id, s.csrf_token, u.is_platform_admin, m.estate_id, m.role, m.resident_id
    from sessions s join users u on u.id = s.user_id
    ${ACTIVE_MEMBERSHIPS}
    where s.token_hash = ? and s.revoked_at is null and s.expires_at > ? and u.deleted_at is null and u.status = 'active'`,
    [p.tokenHash, p.now],
  ),
);

const tokenQuery = queryTemplate<'tokenHash'>((knex, p) =>
  knex.raw(
    `select t.id, t.kind, t.estate_id, t.device_id, t.user_id, u.status as user_status, u.deleted_at as user_deleted_at,
      u.is_platform_admin, m.estate_id as member_estate_id, m.role, m.resident_id
    from api_tokens t left join users u on u.id = t.user_id
    ${ACTIVE_MEMBERSHIPS}
    where t.token_hash = ? and t.revoked_at is null`,
    [p.tokenHash],
  ),
);

// On PostgreSQL the same lookup through a function that names the platform scope for its own statement
// (migrations/20261205000500_session_lookup.ts): one round trip per request instead of a transaction of four.
const sessionFunctionQuery = queryTemplate<'tokenHash' | 'now'>((knex, p) =>
  knex.raw('select * from klustera_session_lookup(?, ?)', [p.tokenHash, p.now]),
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
  member_estate_id: string | null;
  role: string | null;
  resident_id: string | null;
}

/** The membership columns of the joined rows, as the memberships they are (none when the user has none). */
function membershipsOf(rows: Array<{ estate_id: string | null; role: string | null; resident_id: string | null }>): Membership[] {
  const memberships: Membership[] = [];
  for (const r of rows) {
    if (r.estate_id && r.role && isRole(r.role)) memberships.push({ estate_id: r.estate_id, role: r.role, resident_id: r.resident_id });
  }
  return memberships;
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
  const selfScoped = selfScopedKnex(knex);
  const lookup = selfScoped ? sessionFunctionQuery : sessionQuery;
  const rows = await lookup<{
    id: string;
    user_id: string;
    csrf_token: string;
    is_platform_admin: unknown;
    estate_id: string | null;
    role: string | null;
    resident_id: string | null;
  }>(selfScoped ?? knex, { tokenHash: sha256Hex(token), now: nowIso() });
  const session = rows[0];
  if (!session) return null;
  return {
    via: 'session',
    userId: session.user_id,
    isPlatformAdmin: Boolean(session.is_platform_admin),
    memberships: membershipsOf(rows),
    sessionId: session.id,
    csrfToken: session.csrf_token,
  };
}

async function authenticateToken(knex: Knex, token: string): Promise<AuthInfo | null> {
  if (!token || token.length > 200) return null;
  const rows = await tokenQuery<TokenRow>(knex, { tokenHash: sha256Hex(token) });
  const row = rows[0];
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
    memberships: membershipsOf(rows.map((r) => ({ estate_id: r.member_estate_id, role: r.role, resident_id: r.resident_id }))),
    tokenId: row.id,
  };
}
