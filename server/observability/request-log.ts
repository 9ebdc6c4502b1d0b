import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { NextFunction, Request, Response } from 'express';
import type { Logger } from './logger.ts';
import type { ServerMetrics } from './metrics.ts';

const ROUTE = Symbol('klustera.route');
const REQUEST_ID = Symbol('klustera.requestId');
const ERROR_CODE = Symbol('klustera.errorCode');

type Observed = Request & { [ROUTE]?: string; [REQUEST_ID]?: string; [ERROR_CODE]?: string };

/** A caller's own id is kept when it is short and plain, so it can be quoted in a log line as it is. */
const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,64}$/;

/** Names the route pattern a request matched (`/api/v1/estates/:estate_id/units`): what logs and metrics show. */
export function markRoute(req: Request, pattern: string): void {
  (req as Observed)[ROUTE] = pattern;
}

/** The error code a request was answered with, for its access line. */
export function markErrorCode(req: Request, code: string): void {
  (req as Observed)[ERROR_CODE] = code;
}

export function requestIdOf(req: Request): string | undefined {
  return (req as Observed)[REQUEST_ID];
}

/**
 * Paths that matched no route are logged by kind, never as sent: a guest pass link, an invite or a reset link
 * carries its secret in the path, and raw paths would also make one metric series per address.
 */
function unmatchedRoute(req: Request): string {
  return req.path.startsWith('/api/') ? '(unmatched api)' : '(web app)';
}

/**
 * Gives every request an id (the caller's `X-Request-Id` when sane, else a new one, echoed in the answer) and, when
 * it ends, writes one access line (method, route pattern, status, duration) and counts it in the metrics. The
 * per-request work is a UUID, a header, a listener and one buffered log write: no file write happens on the request.
 */
export function observeRequests(log: Logger, metrics: ServerMetrics | null) {
  // The access line is built only from fields that hold nothing personal (a sane or generated id, the method, the
  // route pattern, status, duration, error code), so it skips the logger's redaction pass, which walks every
  // configured key through two levels of nesting and cost ~25 times the line itself on every request.
  const access = log.child({}, { redact: { paths: [] } });
  const logsRequests = () => access.isLevelEnabled('info');
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = performance.now();
    const incoming = req.headers['x-request-id'];
    const id = typeof incoming === 'string' && SANE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
    (req as Observed)[REQUEST_ID] = id;
    res.setHeader('X-Request-Id', id);
    res.once('close', () => {
      const ms = performance.now() - started;
      const route = (req as Observed)[ROUTE] ?? unmatchedRoute(req);
      // A connection closed before the answer was sent: nginx's 499, so it is not counted as answered.
      const status = res.writableFinished ? res.statusCode : 499;
      const streamed = String(res.getHeader('content-type') ?? '').startsWith('text/event-stream');
      metrics?.observeRequest(req.method, route, status, ms / 1000, !streamed);
      if (!logsRequests()) return;
      const line: Record<string, unknown> = { req_id: id, method: req.method, route, status, ms: Math.round(ms * 10) / 10 };
      const code = (req as Observed)[ERROR_CODE];
      if (code) line.error_code = code;
      access.info(line, 'request');
    });
    next();
  };
}
