import { parseTrustProxy, type TrustProxy } from '../config.ts';
import type { Database } from '../db/knex.ts';
import type { LiveFeed } from '../db/live-changes.ts';
import type { SyncContext } from '../db/sync-context.ts';
import type { PublicAddress } from '../public-url/public-url.ts';
import type { ServerObservability } from '../observability/index.ts';

/** What every request can reach: the database, this site's sync identity, and server-wide settings. */
export interface AppContext {
  db: Database;
  sync: SyncContext;
  version: string;
  dataDir: string;
  /** Base URL residents' phones use (invite links, receipt QR codes); defaults to the listening URL. */
  publicUrl: string;
  /** Where `publicUrl` comes from (start option, saved setting, listening address); absent in hand-built contexts. */
  publicAddress?: PublicAddress;
  options: ServerOptions;
  /** This process's live updates (`GET /estates/:id/live`); absent in hand-built contexts. */
  live?: LiveFeed;
  /** This server's logger, metrics and readiness (`observability/`); absent in hand-built contexts. */
  observability?: ServerObservability;
  /**
   * The SQLite server's way to put another database file in place (the office's restore): background work paused,
   * every connection closed while `swap` runs, then the file opened again. Absent on PostgreSQL and in hand-built
   * contexts.
   */
  replaceDatabase?: (swap: () => Promise<void>) => Promise<void>;
  /** True while the database file is being replaced: requests answer 503 `SERVER_BUSY` until it is open again. */
  replacingDatabase?: boolean;
}

export interface ServerOptions {
  loginRateLimitPerMinute: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  sessionDays: number;
  /** Secure cookies even on plain HTTP requests (otherwise only HTTPS requests get them). */
  secureCookies: boolean;
  /** Express 'trust proxy': which proxies' X-Forwarded-For/-Proto count (see config.ts parseTrustProxy). */
  trustProxy: TrustProxy;
  /** How often an open live-updates stream asks again whether its session and membership still hold. */
  liveRecheckMs: number;
  /**
   * Sync digests (sync/digests.ts) hash every row of an estate's synced tables: compared at most this often per link
   * (`KLUSTERA_SYNC_DIGEST_MINUTES`, default 15; 0 after every cycle that moved something).
   */
  syncDigestIntervalMs: number;
}

function digestIntervalMs(text: string | undefined): number {
  const minutes = Number(text);
  return (text?.trim() && Number.isFinite(minutes) && minutes >= 0 ? minutes : 15) * 60_000;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  loginRateLimitPerMinute: 30,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  sessionDays: 30,
  secureCookies: false,
  trustProxy: parseTrustProxy(process.env.KLUSTERA_TRUST_PROXY) ?? 'loopback',
  liveRecheckMs: 30_000,
  syncDigestIntervalMs: digestIntervalMs(process.env.KLUSTERA_SYNC_DIGEST_MINUTES),
};
