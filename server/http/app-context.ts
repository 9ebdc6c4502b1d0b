import type { Database } from '../db/knex.ts';
import type { SyncContext } from '../db/sync-context.ts';

/** What every request can reach: the database, this site's sync identity, and server-wide settings. */
export interface AppContext {
  db: Database;
  sync: SyncContext;
  version: string;
  dataDir: string;
  /** Base URL residents' phones use (invite links, receipt QR codes); defaults to the listening URL. */
  publicUrl: string;
  options: ServerOptions;
}

export interface ServerOptions {
  loginRateLimitPerMinute: number;
  lockoutThreshold: number;
  lockoutMinutes: number;
  sessionDays: number;
  /** Secure cookies when served over HTTPS (hosted instance). */
  secureCookies: boolean;
}

export const DEFAULT_SERVER_OPTIONS: ServerOptions = {
  loginRateLimitPerMinute: 30,
  lockoutThreshold: 5,
  lockoutMinutes: 15,
  sessionDays: 30,
  secureCookies: false,
};
