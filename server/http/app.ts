import fs from 'node:fs';
import path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import type { AppContext } from './app-context.ts';
import { messageLanguage } from './accept-language.ts';
import { localizeErrorBody } from './error-language.ts';
import { NotFoundError, PayloadTooLargeError, toErrorResponse } from './errors.ts';
import { mountRoutes } from './pipeline.ts';
import { allRoutes } from './routes-index.ts';
import { loginRateLimiter } from '../auth/rate-limit.ts';
import { publicUrlFreshness } from '../public-url/index.ts';
import { PUSH_BODY_MAX_BYTES } from '../sync/merge-policy.ts';
import { webhookBodyParser } from './webhook-body.ts';
import { logger, markErrorCode, markRoute, metricsOnMainPort, observeRequests, requestIdOf } from '../observability/index.ts';

import { RENDERER_DIST } from '../paths.ts';

export { RENDERER_DIST };

/**
 * The built renderer loads only its own scripts (no inline script, no eval), so an injected `<script>` or a
 * `javascript:` link does nothing. Styles may be inline: React sets style attributes and the receipt check page
 * carries its own `<style>`. Blob URLs are the receipt PDFs the office downloads.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "media-src 'self' blob:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

function syncPushTooLarge(err: unknown, _req: Request, _res: Response, next: NextFunction): void {
  if ((err as { type?: unknown } | null)?.type !== 'entity.too.large') return next(err);
  next(
    new PayloadTooLargeError(
      'SYNC_BATCH_TOO_LARGE',
      `Kiriman sinkronisasi lebih dari ${PUSH_BODY_MAX_BYTES / 1024 / 1024} MB ditolak. Perbarui aplikasi di komputer kantor.`,
    ),
  );
}

export function createApp(app: AppContext, opts: { rendererDir?: string } = {}): express.Express {
  const server = express();
  server.disable('x-powered-by');
  server.set('trust proxy', app.options.trustProxy);
  const log = app.observability?.log ?? logger();
  server.use(observeRequests(log, app.observability?.metrics ?? null));
  server.use((_req, res, next) => {
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'same-origin');
    res.setHeader('X-Frame-Options', 'DENY');
    next();
  });

  const api = express.Router();
  // While the office's restore puts another database file in place no connection is open: asked again shortly.
  api.use((_req, res, next) => {
    if (!app.replacingDatabase) return next();
    res.setHeader('Retry-After', '2');
    res.status(503).json({ error: { code: 'SERVER_BUSY', message: 'Data sedang dipulihkan dari cadangan. Coba lagi sebentar lagi.' } });
  });
  // A sync push carries rows whole, proofs and attachments as base64: its own larger limit, for that route only and
  // still bounded (server/sync/README.md). The parser below then finds the body read and leaves it.
  api.post('/sync/push', express.json({ limit: PUSH_BODY_MAX_BYTES, strict: false }), syncPushTooLarge);
  // Gateway callbacks are stored byte for byte: their parser keeps the raw body, with a limit of its own.
  api.post('/webhooks/:provider', ...webhookBodyParser());
  // An estate's WhatsApp status callbacks are signed over their bytes: the same parser keeps them.
  api.post('/estates/:estate_id/webhooks/:provider', ...webhookBodyParser());
  api.use(express.json({ limit: '1mb', strict: false }));
  const limiter = loginRateLimiter(app.db.knex, 'password', app.options.loginRateLimitPerMinute);
  for (const p of ['/auth/login', '/auth/token', '/setup', '/invites/:code/accept']) api.post(p, limiter);
  // Looking up invite codes is guessing them: limited per IP like the password endpoints, on a counter of its own.
  api.get('/invites/:code', loginRateLimiter(app.db.knex, 'invite-lookup', app.options.loginRateLimitPerMinute));
  // One-time password links: guessing one is guessing a password, so opening and using them are limited per IP too.
  api.use('/password-resets/:token', loginRateLimiter(app.db.knex, 'password-link', app.options.loginRateLimitPerMinute));
  api.use(publicUrlFreshness(app));
  mountRoutes(api, app, allRoutes);
  api.use((_req, _res, next) => next(new NotFoundError('Alamat API')));
  server.use('/api/v1', api);
  // Never the web app's page: without a metrics token (or with a wrong one) this is the API's plain 404.
  const metricsHandlers: express.RequestHandler[] = [
    (req, _res, next) => {
      markRoute(req, '/metrics');
      next();
    },
    metricsOnMainPort(app.observability),
    (_req, _res, next) => next(new NotFoundError('Alamat API')),
  ];
  server.get('/metrics', metricsHandlers);

  const rendererDir = opts.rendererDir ?? RENDERER_DIST;
  if (fs.existsSync(rendererDir)) {
    server.use(express.static(rendererDir, { index: false, maxAge: '1h' }));
    // Single-page app: every non-API path (/, /portal/…, /kiosk) loads the same index.html.
    server.get(/^(?!\/api\/).*/, (_req, res) => {
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path.join(rendererDir, 'index.html'));
    });
  } else {
    server.get('/', (_req, res) => {
      res.type('text/plain').send('Klustera server is running. The web interface is not built: run `npm run build:renderer`.');
    });
  }

  server.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    const { status, body, unexpected, retryAfterSeconds } = toErrorResponse(err);
    markErrorCode(req, body.error.code);
    // Not the address (paths carry pass, invite and reset tokens): the access line with this req_id names the route.
    if (unexpected) log.error({ req_id: requestIdOf(req), method: req.method, err }, 'request failed');
    if (res.headersSent) return res.end();
    if (retryAfterSeconds) res.setHeader('Retry-After', String(retryAfterSeconds));
    if (status === 429 && (err as { retryAfterSeconds?: number }).retryAfterSeconds) {
      res.setHeader('Retry-After', String((err as { retryAfterSeconds: number }).retryAfterSeconds));
    }
    res.status(status).json(localizeErrorBody(body, messageLanguage(req.headers['accept-language'])));
  });
  return server;
}
