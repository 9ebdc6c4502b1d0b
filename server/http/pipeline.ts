import fs from 'node:fs';
import crypto from 'node:crypto';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import FindMyWay, { type HTTPMethod } from 'find-my-way';
import multer from 'multer';
import type { z } from 'zod';
import { authenticate, type AuthInfo } from '../auth/authenticate.ts';
import { ROLES, roleHasPermission, type Permission, type Role } from '../auth/permissions.ts';
import { isUuid } from '../db/ids.ts';
import { liveEstate } from '../estates/estate-cache.ts';
import { assertEstateActive } from '../estates/suspension.ts';
import { ScopedStore, type Actor } from '../db/scoped-store.ts';
import { platformKnex } from '../db/platform-store.ts';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { queryTemplate } from '../db/query-template.ts';
import { dialectOf } from '../db/knex.ts';
import type { Knex } from 'knex';
import type { AppContext } from './app-context.ts';
import {
  AppError,
  BadRequestError,
  ForbiddenError,
  NotFoundError,
  PayloadTooLargeError,
  UnauthenticatedError,
  UnprocessableError,
  ValidationError,
} from './errors.ts';
import { assertSafeRequest, assertSafeValue } from './input-guard.ts';
import type { RequestContext, RouteDef } from './route.ts';
import { assertResponseMatches, responseChecksEnabled } from './response-check.ts';
import { indonesianIssueMessage } from './zod-messages.ts';
import { markRoute } from '../observability/index.ts';

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export function parseWith<T>(schema: z.ZodType<T> | undefined, value: unknown, where: 'body' | 'query' | 'params'): T {
  if (!schema) return value as T;
  const result = schema.safeParse(value ?? (where === 'body' ? undefined : {}), { error: indonesianIssueMessage });
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = issue.path.length ? issue.path.join('.') : undefined;
  const err = new ValidationError(field ? `${field}: ${issue.message}` : issue.message, field);
  (err as { details?: unknown }).details = result.error.issues.map((i) => ({ field: i.path.join('.'), message: i.message }));
  throw err;
}

/** The strongest of the caller's roles in this estate that grants `permission` ('authenticated': any role). */
function grantingRole(auth: AuthInfo, estateId: string, permission: RouteDef['permission']): Role | 'member-without-permission' | null {
  const held = new Set<Role>(auth.memberships.filter((m) => m.estate_id === estateId).map((m) => m.role));
  if (auth.isPlatformAdmin) held.add('platform_admin');
  if (!held.size) return null;
  for (const role of ROLES) {
    if (!held.has(role)) continue;
    if (permission === 'authenticated' || permission === 'public' || roleHasPermission(role, permission as Permission)) return role;
  }
  return 'member-without-permission';
}

function checkCsrf(req: Request, auth: AuthInfo | null): void {
  if (!UNSAFE.has(req.method)) return;
  const origin = req.headers.origin;
  if (typeof origin === 'string' && origin !== 'null') {
    let host: string | undefined;
    try {
      host = new URL(origin).host;
    } catch {
      host = undefined;
    }
    if (host !== req.headers.host) throw new ForbiddenError('Permintaan dari situs lain ditolak.', 'CSRF_FAILED');
  }
  if (auth?.via === 'session' && req.headers['x-csrf-token'] !== auth.csrfToken) {
    throw new ForbiddenError('Token CSRF tidak cocok. Muat ulang halaman.', 'CSRF_FAILED');
  }
}

const idempotencyKeyQuery = queryTemplate<'estateId' | 'key'>((knex, p) =>
  knex('idempotency_keys').where({ estate_id: p.estateId, idem_key: p.key }).first(),
);

async function withIdempotency(
  ctx: RequestContext,
  def: RouteDef,
  run: (store: ScopedStore) => Promise<unknown>,
): Promise<{ status: number; body: unknown; replayed: boolean }> {
  const store = ctx.store!;
  const key = ctx.idempotencyKey!;
  const route = `${def.method.toUpperCase()} ${def.path}`;
  const requestHash = crypto
    .createHash('sha256')
    .update(route)
    .update(JSON.stringify(ctx.body ?? null))
    .update(JSON.stringify(ctx.params))
    .digest('hex');
  const replay = async (knex = store.knex) => {
    const [prior] = await idempotencyKeyQuery<{ request_hash: string; route: string; status_code: number; response: string }>(knex, {
      estateId: store.estateId,
      key,
    });
    if (!prior) return undefined;
    if (prior.request_hash !== requestHash || prior.route !== route) {
      throw new UnprocessableError('IDEMPOTENCY_KEY_REUSED', 'Idempotency-Key ini sudah dipakai untuk permintaan lain.');
    }
    return { status: prior.status_code as number, body: JSON.parse(prior.response), replayed: true };
  };
  // Looked up inside the transaction only: a read before it would answer nothing new (a key in use must be re-read
  // under the lock anyway) and cost every first request one more query; a repeated key is the rare case.
  const status = def.status ?? 200;
  try {
    return await store.transaction(async (tx) => {
      // Requests with the same key run one after the other, and a later one answers with the earlier one's result
      // instead of running the handler again (which could answer differently, e.g. 409 for a proof already verified).
      if (dialectOf(tx.knex as Knex) === 'postgres') {
        await tx.knex.raw('select pg_advisory_xact_lock(hashtext(?))', [`idempotency:${store.estateId}:${key}`]);
      }
      const earlier = await replay(tx.knex);
      if (earlier) return earlier;
      const body = await run(tx);
      // Written with the journal, in its statement on PostgreSQL: a payment holds the estate's locks until it commits.
      await tx.writeAtCommit('idempotency_keys', {
        id: newId(),
        estate_id: store.estateId,
        idem_key: key,
        route,
        request_hash: requestHash,
        status_code: status,
        response: JSON.stringify(body ?? null),
        created_at: nowIso(),
      });
      return { status, body, replayed: false };
    });
  } catch (err) {
    // A concurrent request with the same key committed first: answer with its result.
    if (!(err instanceof AppError)) {
      const again = await replay();
      if (again) return again;
    }
    throw err;
  }
}

/** multer/busboy failures are the sender's malformed or oversized upload, never the server's fault. */
function uploadError(err: unknown): AppError {
  if (err instanceof AppError) return err;
  const code = (err as { code?: unknown })?.code;
  if (err instanceof multer.MulterError) {
    if (code === 'LIMIT_FILE_SIZE' || code === 'LIMIT_FIELD_VALUE')
      return new PayloadTooLargeError('PAYLOAD_TOO_LARGE', 'Berkas atau isian terlalu besar.', err.field);
    if (code === 'LIMIT_UNEXPECTED_FILE')
      return new BadRequestError('UPLOAD_UNEXPECTED_FIELD', 'Berkas dikirim pada isian yang tidak dikenal.', err.field);
    if (code === 'LIMIT_PART_COUNT' || code === 'LIMIT_FILE_COUNT' || code === 'LIMIT_FIELD_COUNT' || code === 'LIMIT_FIELD_KEY') {
      return new BadRequestError('UPLOAD_TOO_MANY_PARTS', 'Unggahan berisi terlalu banyak bagian.', err.field);
    }
  }
  return new BadRequestError('MALFORMED_MULTIPART', 'Unggahan multipart/form-data rusak atau tidak lengkap.');
}

const prepared = new WeakMap<Request, RequestContext>();

/**
 * A raw handler writes its own answer (files, or JSON with a status of its own choosing); when it declares the shape
 * of its JSON form, that JSON is checked as the pipeline checks the answers it writes. Error bodies (4xx/5xx) are the
 * error handler's, not the route's.
 */
function checkJsonAnswers(def: RouteDef, res: Response): void {
  const json = res.json.bind(res);
  res.json = (body: unknown) => {
    if (res.statusCode < 400) assertResponseMatches(def, body);
    return json(body);
  };
}

export function mountRoutes(router: Router, app: AppContext, defs: RouteDef[]): void {
  // Sign-in state spans estates (memberships of every estate); each estate route's store then names its own estate.
  const knex = platformKnex(app.db.knex);
  const checkResponses = responseChecksEnabled();
  const table = routeTable();
  for (const def of defs) {
    // Who is asking and whether they may: answered before any body is read, so an anonymous or unauthorised caller
    // never gets an upload buffered into memory.
    const prepare = async (req: Request, res: Response): Promise<RequestContext> => {
      assertSafeRequest(req);
      const auth = await authenticate(knex, req);
      if (def.permission !== 'public' && !auth) throw new UnauthenticatedError();
      checkCsrf(req, auth);
      const actor: Actor = { userId: auth?.userId ?? null, role: 'system', deviceId: auth?.deviceId ?? null };
      const ctx: RequestContext = {
        app,
        req,
        res,
        auth,
        actor,
        params: req.params,
        query: {},
        body: undefined,
        fields: {},
      };
      const estateId = req.params.estate_id;
      if (estateId !== undefined) {
        if (!isUuid(estateId)) throw new NotFoundError('Perumahan');
        const estate = await liveEstate(knex, estateId);
        if (!estate) throw new NotFoundError('Perumahan');
        if (def.permission !== 'public') {
          const role = grantingRole(auth!, estateId, def.permission);
          // Not a member: the estate does not exist as far as this caller is concerned.
          if (role === null) throw new NotFoundError('Perumahan');
          assertEstateActive(estate, auth);
          if (role === 'member-without-permission') throw new ForbiddenError();
          ctx.role = role;
          actor.role = auth!.via === 'device' ? 'device' : role;
        } else assertEstateActive(estate, auth);
        ctx.estate = estate;
        ctx.store = new ScopedStore(knex, estateId, actor, app.sync, { timezone: estate.timezone });
      } else if (def.permission !== 'public' && def.permission !== 'authenticated') {
        const allowed = auth!.isPlatformAdmin && roleHasPermission('platform_admin', def.permission);
        if (!allowed) throw new ForbiddenError();
        actor.role = 'platform_admin';
      }
      return ctx;
    };
    const run = async (ctx: RequestContext, req: Request, res: Response): Promise<void> => {
      ctx.params = parseWith(def.params, req.params, 'params');
      ctx.query = parseWith(def.query, req.query, 'query');
      if (def.upload) {
        const file = (req as Request & { file?: RequestContext['file'] & RequestContext['fileOnDisk'] }).file;
        if (def.upload.toFolder) ctx.fileOnDisk = file;
        else ctx.file = file;
        ctx.fields = Object.fromEntries(
          Object.entries((req.body ?? {}) as Record<string, unknown>).filter(([, v]) => typeof v === 'string'),
        ) as Record<string, string>;
        assertSafeValue(ctx.fields, '');
        if (file) assertSafeValue(file.originalname, def.upload.field);
        ctx.body = parseWith(def.body, ctx.fields, 'body');
      } else {
        ctx.body = parseWith(def.body, req.body, 'body');
      }
      const keyHeader = req.headers['idempotency-key'];
      if (def.idempotent && typeof keyHeader === 'string' && keyHeader.length) {
        if (keyHeader.length > 200) throw new ValidationError('Idempotency-Key terlalu panjang.', 'Idempotency-Key');
        ctx.idempotencyKey = keyHeader;
      }
      if (def.raw) {
        if (checkResponses && def.response) checkJsonAnswers(def, res);
        await def.handler(ctx);
        return;
      }
      if (ctx.idempotencyKey && ctx.store) {
        const result = await withIdempotency(ctx, def, (tx) => Promise.resolve(def.handler({ ...ctx, store: tx })));
        if (checkResponses) assertResponseMatches(def, result.body);
        if (result.replayed) res.setHeader('Idempotent-Replayed', 'true');
        sendJson(req, res, result.status, result.body);
        return;
      }
      const body = await def.handler(ctx);
      if (checkResponses) assertResponseMatches(def, body);
      const status = def.status ?? 200;
      if (status === 204 || body === undefined) res.status(status === 200 ? 204 : status).end();
      else sendJson(req, res, status, body);
    };
    const handlers: express.RequestHandler[] = [];
    if (def.upload) {
      const toFolder = def.upload.toFolder;
      const storage = toFolder
        ? multer.diskStorage({
            destination: (_req, _file, done) => {
              try {
                const folder = toFolder(app);
                fs.mkdirSync(folder, { recursive: true, mode: 0o700 });
                done(null, folder);
              } catch (err) {
                done(err as Error, '');
              }
            },
          })
        : multer.memoryStorage();
      const upload = multer({
        storage,
        limits: { fileSize: def.upload.maxBytes, files: 1, fields: 20, fieldSize: 64 * 1024, parts: 30 },
      });
      const single = upload.single(def.upload.field);
      handlers.push(async (req: Request, res: Response, next: NextFunction) => {
        try {
          prepared.set(req, await prepare(req, res));
          next();
        } catch (err) {
          next(err);
        }
      });
      handlers.push((req: Request, res: Response, next: NextFunction) => {
        single(req, res, (err?: unknown) => next(err ? uploadError(err) : undefined));
      });
      handlers.push(async (req: Request, res: Response, next: NextFunction) => {
        try {
          await run(prepared.get(req)!, req, res);
        } catch (err) {
          next(err);
        } finally {
          // Whatever the answer, an upload streamed to disk does not stay behind unless the handler moved it.
          const onDisk = (req as Request & { file?: { path?: string } }).file?.path;
          if (toFolder && onDisk) fs.rmSync(onDisk, { force: true });
        }
      });
    } else {
      handlers.push(async (req: Request, res: Response, next: NextFunction) => {
        try {
          await run(await prepare(req, res), req, res);
        } catch (err) {
          next(err);
        }
      });
    }
    table.on(def.method.toUpperCase() as HTTPMethod, def.path, noHandler, { handlers, pattern: def.path });
  }
  router.use((req: Request, res: Response, next: NextFunction) => {
    const found = findRoute(table, req.method, req.path);
    if (!found) return next();
    req.params = { ...found.params } as Request['params'];
    const { handlers, pattern } = found.store as { handlers: express.RequestHandler[]; pattern: string };
    markRoute(req, req.baseUrl + pattern);
    let i = 0;
    const step = (err?: unknown): void => {
      if (err !== undefined && err !== null) return next(err);
      const handler = handlers[i++];
      if (!handler) return next();
      handler(req, res, step as NextFunction);
    };
    step();
  });
}

const noHandler = () => {};

/**
 * A write's answer is sent as it is: Express's `res.json` would also hash the body for an ETag, which only a read can
 * use (a browser revalidating what it fetched before). Reads keep it.
 */
function sendJson(req: Request, res: Response, status: number, body: unknown): void {
  if (req.method === 'GET' || req.method === 'HEAD') {
    res.status(status).json(body);
    return;
  }
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}

/**
 * The route table for one router: a radix tree looked up once per request, instead of Express trying each route's
 * pattern in turn — with ~150 routes that walk cost more than a small handler. Matching stays Express's: paths are
 * case-insensitive, a trailing slash is ignored, HEAD is answered by the GET route, a parameter may be as long as a
 * route's schema allows, and a parameter that is not valid percent-encoding is the client's error (400), as Express
 * answers it.
 */
function routeTable() {
  // find-my-way stops matching a parameter longer than 100 characters by default; a guest pass link's signed token
  // is longer. Each route's own schema bounds its parameters.
  return FindMyWay({ caseSensitive: false, ignoreTrailingSlash: true, maxParamLength: 2048 });
}

function findRoute(table: ReturnType<typeof routeTable>, method: string, path: string) {
  const found = table.find((method === 'HEAD' ? 'GET' : method) as HTTPMethod, path);
  if (!found && path.includes('%')) {
    try {
      decodeURIComponent(path);
    } catch {
      throw new BadRequestError('BAD_REQUEST', 'Permintaan tidak sah.');
    }
  }
  return found;
}
