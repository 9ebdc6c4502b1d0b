import type { Request, Response } from 'express';
import { parse as parseCookie } from 'cookie';
import { nowIso } from '../db/clock.ts';
import type { AppContext } from '../http/app-context.ts';
import { KNOWN_BROWSER_COOKIE, isPlausibleDeviceToken, type LoginOrigin } from './login-throttle.ts';
import { PlatformStore, platformKnex } from '../db/platform-store.ts';
import { defineRoutes } from '../http/route.ts';
import { UnauthenticatedError } from '../http/errors.ts';
import { hashPassword, randomToken, sha256Hex, verifyPassword } from './passwords.ts';
import { loginBody, passwordChangeBody, sessionResponse, tokenBody, tokenResponse } from './schemas.ts';
import { checkCredentials, sessionPayload } from './service.ts';
import { createSession, revokeSession } from './sessions.ts';

function loginOrigin(req: Request): LoginOrigin {
  const cookies = req.headers.cookie ? parseCookie(req.headers.cookie) : {};
  const device = cookies[KNOWN_BROWSER_COOKIE];
  return { ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', deviceToken: isPlausibleDeviceToken(device) ? device : undefined };
}

/** The browser keeps a random id so that its owner's logins are told apart from strangers' (login-throttle.ts). */
function rememberDevice(app: AppContext, res: Response, token: string): void {
  res.cookie(KNOWN_BROWSER_COOKIE, token, {
    httpOnly: true,
    sameSite: 'lax',
    secure: app.options.secureCookies,
    path: '/api/v1/auth',
    maxAge: 365 * 86_400_000,
  });
}

export const authRoutes = defineRoutes([
  {
    method: 'post',
    path: '/auth/login',
    permission: 'public',
    summary: 'Log in with email or phone and password (browser session)',
    body: loginBody,
    response: sessionResponse,
    handler: async ({ app, body, req, res }) => {
      const { user, deviceToken } = await checkCredentials(app, body.login, body.password, loginOrigin(req));
      rememberDevice(app, res, deviceToken);
      const { csrfToken } = await createSession(app, platformKnex(app.db.knex), res, user.id, req.headers['user-agent']);
      return sessionPayload(platformKnex(app.db.knex), user.id, csrfToken);
    },
  },
  {
    method: 'post',
    path: '/auth/token',
    permission: 'public',
    summary: 'Exchange email/phone and password for a bearer token (scripts, devices)',
    body: tokenBody,
    status: 201,
    response: tokenResponse,
    handler: async ({ app, body, req }) => {
      const { user } = await checkCredentials(app, body.login, body.password, loginOrigin(req));
      const token = `klt_${randomToken()}`;
      await new PlatformStore(app.db.knex, { userId: user.id, role: 'system' }, app.sync).insert(
        'api_tokens',
        {
          kind: 'user',
          user_id: user.id,
          name: body.name ?? 'token',
          token_hash: sha256Hex(token),
          created_at: nowIso(),
        },
        { estateId: null },
      );
      return { token, token_type: 'Bearer' };
    },
  },
  {
    method: 'get',
    path: '/auth/me',
    permission: 'authenticated',
    summary: 'The signed-in user, their estates and roles',
    response: sessionResponse,
    handler: async ({ app, auth }) => {
      if (!auth?.userId) throw new UnauthenticatedError();
      return sessionPayload(platformKnex(app.db.knex), auth.userId, auth.csrfToken);
    },
  },
  {
    method: 'post',
    path: '/auth/logout',
    permission: 'authenticated',
    summary: 'End the browser session (or revoke the bearer token used)',
    status: 204,
    handler: async ({ app, auth, res, actor }) => {
      const platform = new PlatformStore(app.db.knex, actor, app.sync);
      if (auth?.via === 'session') await revokeSession(platform, res, auth.sessionId);
      else if (auth?.tokenId) {
        await platform.update(
          'api_tokens',
          (q) => q.where({ id: auth.tokenId }),
          { revoked_at: nowIso() },
          { estateId: null, action: 'api_tokens.revoke' },
        );
      }
    },
  },
  {
    method: 'post',
    path: '/auth/password',
    permission: 'authenticated',
    summary: "Change the signed-in user's password",
    body: passwordChangeBody,
    status: 204,
    handler: async ({ app, auth, body, actor }) => {
      const knex = platformKnex(app.db.knex);
      const user = await knex('users').where({ id: auth!.userId }).first();
      if (!user || !(await verifyPassword(body.current_password, user.password_hash))) {
        throw new UnauthenticatedError('Kata sandi lama salah.', 'INVALID_CREDENTIALS');
      }
      const hash = await hashPassword(body.new_password);
      await new PlatformStore(knex, { ...actor, role: 'system' }, app.sync).transaction(async (tx) => {
        const at = nowIso();
        const account = { estateId: null };
        await tx.update(
          'users',
          (q) => q.where({ id: user.id }),
          { password_hash: hash, updated_at: at },
          { ...account, action: 'users.password_change' },
        );
        // Other browsers signed in as this user must sign in again with the new password.
        await tx.update(
          'sessions',
          (q) =>
            q
              .where({ user_id: user.id })
              .whereNot({ id: auth!.sessionId ?? '' })
              .whereNull('revoked_at'),
          { revoked_at: at },
          { ...account, action: 'sessions.revoke' },
        );
        // Bearer tokens were handed out for the old password: a leaked one must not outlive the change.
        await tx.update(
          'api_tokens',
          (q) =>
            q
              .where({ user_id: user.id, kind: 'user' })
              .whereNull('revoked_at')
              .whereNot({ id: auth!.tokenId ?? '' }),
          { revoked_at: at },
          { ...account, action: 'api_tokens.revoke' },
        );
      });
    },
  },
]);
