import type { Response } from 'express';
import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { PlatformStore } from '../db/platform-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { SESSION_COOKIE } from './authenticate.ts';
import { randomToken, sha256Hex } from './passwords.ts';

export async function createSession(
  app: AppContext,
  knex: Knex,
  res: Response,
  userId: string,
  userAgent?: string,
): Promise<{ csrfToken: string }> {
  const token = randomToken();
  const csrfToken = randomToken(24);
  const maxAgeMs = app.options.sessionDays * 24 * 3600 * 1000;
  const platform = new PlatformStore(knex, { userId, role: 'system' }, app.sync);
  await platform.insert(
    'sessions',
    {
      user_id: userId,
      token_hash: sha256Hex(token),
      csrf_token: csrfToken,
      created_at: nowIso(),
      expires_at: new Date(Date.now() + maxAgeMs).toISOString(),
      user_agent: userAgent?.slice(0, 300) ?? null,
    },
    { estateId: null },
  );
  res.cookie(SESSION_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    // HTTPS as seen through the trusted proxies (`trustProxy`): a TLS proxy in front makes req.secure true.
    secure: app.options.secureCookies || res.req.secure,
    path: '/',
    maxAge: maxAgeMs,
  });
  return { csrfToken };
}

export async function revokeSession(platform: PlatformStore, res: Response, sessionId: string | undefined): Promise<void> {
  if (sessionId)
    await platform.update(
      'sessions',
      (q) => q.where({ id: sessionId }),
      { revoked_at: nowIso() },
      { estateId: null, action: 'sessions.revoke' },
    );
  res.clearCookie(SESSION_COOKIE, { path: '/' });
}
