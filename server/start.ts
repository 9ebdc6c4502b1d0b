import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { defaultDataDir } from './config.ts';
import { useFileBucket } from './files/index.ts';
import type { S3Target } from './object-storage/index.ts';
import { lockDataDir } from './db/data-dir-lock.ts';
import { openDatabase, type Database } from './db/knex.ts';
import { LiveFeed } from './db/live-changes.ts';
import { migrateToLatest } from './db/migrate.ts';
import { loadSyncContext } from './db/sync-context.ts';
import { DEFAULT_SERVER_OPTIONS, type AppContext, type ServerOptions } from './http/app-context.ts';
import { createApp } from './http/app.ts';
import type { JobRunner } from './jobs/job-runner.ts';
import { serverJobRunner } from './jobs/registry.ts';
import { SyncLoop } from './sync/sync-loop.ts';
import { PACKAGE_JSON } from './paths.ts';
import { effectivePublicUrl, listeningPublicUrl, parsePublicUrl, readStoredPublicUrl, type PublicAddress } from './public-url/index.ts';
import { checkReadiness, configureProcessLogger, ServerMetrics, startMetricsServer, type Logger } from './observability/index.ts';
import { platformKnex } from './db/platform-store.ts';
import { NOT_CARRIED_TABLES } from './sync/merge-policy.ts';

export interface StartOptions {
  dataDir?: string;
  databaseUrl?: string;
  port?: number;
  host?: string;
  rendererDir?: string;
  /** The address phones open (`--public-url`, KLUSTERA_PUBLIC_URL); validated, and then not editable in the office. */
  publicUrl?: string;
  /** The machine's network interfaces, for the LAN address when serving on 0.0.0.0 (tests pass their own). */
  networkInterfaces?: ReturnType<typeof os.networkInterfaces>;
  options?: Partial<ServerOptions>;
  /** Run durable jobs and schedules in the background; tests drive `jobs` by hand instead. */
  backgroundJobs?: boolean;
  /** Plan recurring work (scheduled billing, pass renewal) when running jobs; tests plan with their own clock. */
  schedules?: boolean;
  /**
   * Live sync of linked estates (sync/sync-loop.ts): push soon after a write, pull as the hosted instance has news.
   * On with background jobs and schedules unless set; tests that count what a cycle carried leave it off.
   */
  liveSync?: boolean;
  /** How long to wait for a restore of the SQLite file in progress before giving up (default 60 s). */
  waitForRestoreMs?: number;
  /**
   * PostgreSQL: serve requests as the row-security role (`db/row-security.ts`); migrations still run as the URL's
   * user. On unless set false here or by `KLUSTERA_ROW_SECURITY=0`, the way back should some query miss its scope;
   * off, requests run as the URL's user in the platform scope.
   */
  rowSecurity?: boolean;
  /** Where log lines go; by default the process's logger (stdout, or the data folder's rotated file: README). */
  logger?: Logger;
  /**
   * Prometheus metrics: `port` serves `/metrics` on 127.0.0.1 alone (0: any free port), `token` on the main port to
   * `Authorization: Bearer <token>`. Neither: no metrics are kept and `/metrics` is 404.
   */
  metrics?: { port?: number; token?: string | null };
  /** The S3-compatible bucket new uploads go to (`--files-s3-*`, server/files/); absent or null: the database. */
  files?: S3Target | null;
}

export interface RunningServer {
  url: string;
  port: number;
  dataDir: string;
  /** The database as the URL's user (migrations, maintenance); requests go through `app.db`. The same on SQLite. */
  db: Database;
  app: AppContext;
  /** This process's job runner (started unless `backgroundJobs: false`). */
  jobs: JobRunner;
  /** The port of `/metrics` when it has its own (`metrics.port`). */
  metricsPort?: number;
  close(): Promise<void>;
}

export function packageVersion(): string {
  return (JSON.parse(fs.readFileSync(PACKAGE_JSON, 'utf8')) as { version: string }).version;
}

/** `KLUSTERA_ROW_SECURITY`: unset or 1 serves as the app role on PostgreSQL, 0 opts out; anything else stops the start. */
export function rowSecurityFromEnv(value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '1') return true;
  if (value === '0') return false;
  throw new Error(`KLUSTERA_ROW_SECURITY must be 1 or 0, got ${value}`);
}

export async function startServer(opts: StartOptions = {}): Promise<RunningServer> {
  const dataDir = opts.dataDir ? path.resolve(opts.dataDir) : defaultDataDir();
  // A mistyped --public-url stops the start: every invite and receipt QR would carry it.
  let startupUrl: string | null = null;
  try {
    startupUrl = opts.publicUrl ? parsePublicUrl(opts.publicUrl) : null;
  } catch (err) {
    throw new Error(`--public-url ${opts.publicUrl}: ${(err as Error).message}`);
  }
  const databaseUrl = opts.databaseUrl ?? process.env.DATABASE_URL ?? undefined;
  useFileBucket(opts.files ?? null);
  const log = opts.logger ?? (await configureProcessLogger(dataDir));
  // One server per SQLite file, and none while a restore swaps the file underneath (see db/data-dir-lock.ts).
  const lock = databaseUrl ? null : await lockDataDir(dataDir, 'server', { waitMs: opts.waitForRestoreMs ?? 60_000 });
  const db = openDatabase({ dataDir, databaseUrl, backgroundCheckpoint: true });
  try {
    await migrateToLatest(db);
  } catch (err) {
    await db.close();
    lock?.release();
    throw err;
  }
  const rowSecurity = opts.rowSecurity ?? rowSecurityFromEnv(process.env.KLUSTERA_ROW_SECURITY);
  const served = db.dialect === 'postgres' && rowSecurity ? openDatabase({ dataDir, databaseUrl, role: 'app' }) : db;
  const closeDatabases = async () => {
    if (served !== db) await served.close();
    await db.close();
  };
  const host = opts.host ?? '127.0.0.1';
  let sync: Awaited<ReturnType<typeof loadSyncContext>>;
  let storedUrl: string | null;
  try {
    // A start that fails here must let go of the database: its checkpointer thread would keep the process alive.
    sync = await loadSyncContext(db.knex);
    storedUrl = await readStoredPublicUrl(db.knex);
  } catch (err) {
    await closeDatabases();
    lock?.release();
    throw err;
  }
  let live: LiveFeed;
  try {
    live = new LiveFeed(db.knex, databaseUrl);
    await live.ready;
  } catch (err) {
    await closeDatabases();
    lock?.release();
    throw err;
  }
  const metricsToken = opts.metrics?.token || null;
  const metrics =
    opts.metrics?.port !== undefined || metricsToken
      ? new ServerMetrics({
          knex: () => platformKnex(served.knex),
          siteId: sync.siteId,
          jobs: () => jobs,
          notCarriedTables: NOT_CARRIED_TABLES,
        })
      : null;
  let jobs: JobRunner | undefined;
  const app: AppContext = {
    db: served,
    sync,
    dataDir,
    version: packageVersion(),
    publicUrl: startupUrl ?? '',
    options: { ...DEFAULT_SERVER_OPTIONS, ...opts.options },
    live,
    observability: { log, metrics, metricsToken, ready: () => checkReadiness(served, db, jobs, log) },
  };
  const server = http.createServer(createApp(app, { rendererDir: opts.rendererDir }));
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 4780, host, () => resolve());
  }).catch(async (err) => {
    metrics?.close();
    await live.close();
    await closeDatabases();
    lock?.release();
    throw err;
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  const url = `http://${shownHost.includes(':') ? `[${shownHost}]` : shownHost}:${port}`;
  lock?.describe({ url, port });
  const listening = listeningPublicUrl(host, port, opts.networkInterfaces ?? os.networkInterfaces());
  const publicAddress: PublicAddress = {
    startup: startupUrl,
    stored: storedUrl,
    fallback: listening.url,
    fallbackSource: listening.source,
  };
  app.publicAddress = publicAddress;
  app.publicUrl = effectivePublicUrl(publicAddress).url;
  const runner = serverJobRunner(app, { schedules: opts.schedules });
  jobs = runner;
  metrics?.watchJobs(runner);
  if (opts.backgroundJobs !== false) runner.start();
  let metricsServer: Awaited<ReturnType<typeof startMetricsServer>> | null = null;
  if (metrics && opts.metrics?.port !== undefined) {
    try {
      metricsServer = await startMetricsServer(metrics, opts.metrics.port, log);
    } catch (err) {
      await runner.stop();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await live.close();
      await closeDatabases();
      lock?.release();
      throw new Error(`--metrics-port ${opts.metrics.port}: ${(err as Error).message}`);
    }
  }
  let syncLoop = (opts.liveSync ?? (opts.backgroundJobs !== false && opts.schedules !== false)) ? new SyncLoop(app) : null;
  await syncLoop?.start();
  const reopen = db.reopen;
  if (reopen && served === db) {
    app.replaceDatabase = async (swap) => {
      await syncLoop?.stop();
      const jobsWereRunning = opts.backgroundJobs !== false;
      await runner.stop();
      try {
        await reopen(swap);
      } finally {
        // The file in place may be another installation's copy: its site identity is the one to sync as.
        app.sync = await loadSyncContext(db.knex);
        if (jobsWereRunning) runner.start();
        if (syncLoop) {
          syncLoop = new SyncLoop(app);
          await syncLoop.start();
        }
      }
    };
  }
  return {
    url,
    port,
    dataDir,
    db,
    app,
    jobs: runner,
    metricsPort: metricsServer?.port,
    async close() {
      await syncLoop?.stop();
      await runner.stop();
      await metricsServer?.close();
      metrics?.close();
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
      await live.close();
      await closeDatabases();
      lock?.release();
    },
  };
}
