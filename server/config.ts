import os from 'node:os';
import path from 'node:path';

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

export function sqliteFile(dataDir: string): string {
  return path.join(dataDir, 'klustera.sqlite');
}
