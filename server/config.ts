import os from 'node:os';
import path from 'node:path';
import express from 'express';

export interface ServerConfig {
  /** Folder holding the SQLite file, backups and uploads. */
  dataDir: string;
  /** postgres://… for the hosted instance; absent means the embedded SQLite file in dataDir. */
  databaseUrl?: string;
  host: string;
  port: number;
  /** Identifies this installation in outbox rows (sync). */
  siteId?: string;
}

/** The per-user data folder the desktop app and `npm start` use when none is given. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.KLUSTERA_DATA_DIR) return path.resolve(env.KLUSTERA_DATA_DIR);
  const home = os.homedir();
  if (platform === 'win32') return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'Klustera');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'Klustera');
  return path.join(env.XDG_DATA_HOME ?? path.join(home, '.local', 'share'), 'klustera');
}

/** Express's 'trust proxy' value: which hops may tell the server the client's address and scheme (X-Forwarded-*). */
export type TrustProxy = boolean | number | string;

/**
 * `--trust-proxy` / `KLUSTERA_TRUST_PROXY`: `loopback` (the default: a reverse proxy on the same machine), a comma
 * list of addresses or subnets (`10.0.0.2, 192.168.1.0/24`), a number of hops, `true` (any: only behind a proxy
 * that overwrites the headers) or `false`. Behind a TLS proxy that is trusted, requests count as HTTPS and the session
 * cookie gets `Secure`. A value Express cannot use is refused at start, not discovered at the first request.
 */
export function parseTrustProxy(value: string | undefined): TrustProxy | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  let parsed: TrustProxy = text;
  if (text === 'true') parsed = true;
  else if (text === 'false') parsed = false;
  else if (/^\d+$/.test(text)) parsed = Number(text);
  try {
    express().set('trust proxy', parsed);
  } catch (err) {
    throw new Error(`trust proxy "${text}": ${(err as Error).message}`);
  }
  return parsed;
}

export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'klustera.sqlite');
}
