import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { NextFunction, Request, Response } from 'express';
import { logger, type Logger } from './logger.ts';
import { bearerMatches, type ServerMetrics } from './metrics.ts';
import type { ReadinessReport } from './readiness.ts';

export { configureProcessLogger, createLogger, logger, logLevelFromEnv, serializeError, type Logger } from './logger.ts';
export { metricsTokenFromEnv, ServerMetrics } from './metrics.ts';
export { checkReadiness, type JobRunnerHealth, type ReadinessReport } from './readiness.ts';
export { markErrorCode, markRoute, observeRequests, requestIdOf } from './request-log.ts';

/** What one running server offers about itself: its logger, its metrics when enabled, and its readiness. */
export interface ServerObservability {
  log: Logger;
  /** Null unless metrics are served (a metrics port or a token). */
  metrics: ServerMetrics | null;
  /** With a token, the main port answers `/metrics` to `Authorization: Bearer <token>` only. */
  metricsToken: string | null;
  ready(): Promise<ReadinessReport>;
}

/** The logger of the server `app` belongs to, or the process's for a context built by hand (the command line). */
export function logOf(app: { observability?: ServerObservability }): Logger {
  return app.observability?.log ?? logger();
}

async function sendMetrics(metrics: ServerMetrics, res: http.ServerResponse): Promise<void> {
  const text = await metrics.text();
  res.writeHead(200, { 'Content-Type': metrics.contentType, 'Cache-Control': 'no-store' });
  res.end(text);
}

/**
 * `/metrics` on the main port: only with the configured bearer token; otherwise `next()` leads to the API's 404, the
 * same answer as for an address that does not exist, so the port does not tell whether metrics are on.
 */
export function metricsOnMainPort(observability: ServerObservability | undefined) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const { metrics, metricsToken } = observability ?? {};
    if (!metrics || !metricsToken || !bearerMatches(req.headers.authorization, metricsToken)) return next();
    sendMetrics(metrics, res).catch(next);
  };
}

/** A port of its own for `/metrics`, bound to 127.0.0.1 only: a scraper on the same machine needs no token. */
export async function startMetricsServer(
  metrics: ServerMetrics,
  port: number,
  log: Logger,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0];
    if ((req.method === 'GET' || req.method === 'HEAD') && path === '/metrics') {
      sendMetrics(metrics, res).catch((err) => {
        log.error({ err }, 'metrics: scrape failed');
        if (!res.headersSent) res.writeHead(500);
        res.end();
      });
      return;
    }
    res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found\n');
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  return {
    port: (server.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
