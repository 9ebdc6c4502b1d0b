import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import type { ServerOptions } from '../../server/http/app-context.ts';
import { type ApiClient, setupEstate, startTestServer, type TestServer } from './server.ts';

/**
 * An office desktop (SQLite, its own data folder) and a hosted instance (a fresh PostgreSQL database on `pgUrl`),
 * both real servers on 127.0.0.1, each with an estate and its administrator signed in: the desktop's estate is the
 * one sync carries; the hosted one is the platform administrator's own.
 */
export interface SyncSites {
  cloud: TestServer;
  desktop: TestServer;
  /** The hosted instance's first administrator: a platform admin, who issues link codes. */
  cloudAdmin: ApiClient;
  cloudHomeEstate: string;
  /** The desktop's estate administrator. */
  office: ApiClient;
  /** The desktop's estate, the one that is linked and synced. */
  estateId: string;
  close(): Promise<void>;
}

export async function startSyncSites(
  pgUrl: string,
  opts: { desktopLiveSync?: boolean; desktopOptions?: Partial<ServerOptions> } = {},
): Promise<SyncSites> {
  let pgdb: TestDatabase | undefined;
  let cloud: TestServer | undefined;
  let desktop: TestServer | undefined;
  const desktopDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-desktop-'));
  const close = async () => {
    await desktop?.close();
    await cloud?.close();
    await pgdb?.drop();
    fs.rmSync(desktopDir, { recursive: true, force: true });
  };
  try {
    pgdb = await createTestDatabase(pgUrl);
    cloud = await startTestServer({ databaseUrl: pgdb.url });
    const home = await setupEstate(cloud.url, 'Pengelola Awan');
    desktop = await startTestServer({
      dataDir: desktopDir,
      liveSync: opts.desktopLiveSync,
      // Suites compare digests after every cycle that moved something; the throttle's own test sets an interval.
      options: { syncDigestIntervalMs: 0, ...opts.desktopOptions },
    });
    const own = await setupEstate(desktop.url);
    return {
      cloud,
      desktop,
      cloudAdmin: home.client,
      cloudHomeEstate: home.estateId,
      office: own.client,
      estateId: own.estateId,
      close,
    };
  } catch (err) {
    await close();
    throw err;
  }
}
