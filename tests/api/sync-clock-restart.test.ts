import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { HybridLogicalClock } from '../../server/sync/hlc.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { apiClient, type ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';

/**
 * The office desktop (SQLite) ran with its clock a day ahead, synced an edit to the hosted instance (PostgreSQL,
 * `pgUrl`), then the clock was put right and the app reopened. The next edit must still be the newer one on both sites.
 */
const DAY_MS = 24 * 60 * 60 * 1000;
let database: TestDatabase;
let cloud: TestServer;
let desktop: TestServer;
let dir: string;

beforeAll(async () => {
  database = await createTestDatabase(inject('pgUrl'));
  cloud = await startTestServer({ databaseUrl: database.url });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-clock-'));
  desktop = await startTestServer({ dataDir: dir });
}, 60_000);

afterAll(async () => {
  await desktop?.close();
  await cloud?.close();
  await database?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('a desktop clock put back while the app was closed', () => {
  it('stamps the next edit after every change the desktop holds, so the hosted instance takes it', async () => {
    const { client: cloudAdmin } = await setupEstate(cloud.url, 'Pengelola Awan');
    const { client: office, estateId } = await setupEstate(desktop.url);
    const e = (p: string) => `/estates/${estateId}${p}`;
    const code = (await cloudAdmin.post('/sync/link-codes')).body.code;
    expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);

    desktop.app.sync.clock = new HybridLogicalClock(desktop.app.sync.siteId, () => Date.now() + DAY_MS);
    const unit = (await office.post(e('/units'), { code: 'A-1', occupancy: 'occupied' })).body.id;
    expect((await office.patch(e(`/units/${unit}`), { notes: 'ditulis saat jam maju sehari' })).status).toBe(200);
    expect((await runSyncCycle(desktop.app, estateId)).ok).toBe(true);

    // Reopened with the clock right: the server's own clock, nothing set by the test.
    await desktop.close();
    desktop = await startTestServer({ dataDir: dir });
    const reopened: ApiClient = apiClient(desktop.url);
    reopened.cookie = office.cookie;
    reopened.csrf = office.csrf;
    expect((await reopened.patch(e(`/units/${unit}`), { notes: 'jam sudah dibetulkan' })).status).toBe(200);
    const outbox = platformDb(desktop.app)('outbox').where({ row_id: unit });
    const edit = (await outbox.clone().whereNull('synced_at').first()).hlc as string;
    const sent = (await outbox.clone().whereNotNull('synced_at').max('hlc as hlc').first()) as { hlc: string };
    const dayAhead = sent.hlc;
    expect(edit > dayAhead, `${edit} after ${dayAhead}`).toBe(true);

    expect(await runSyncCycle(desktop.app, estateId)).toMatchObject({ ok: true, waiting: 0 });
    expect((await platformDb(cloud.app)('units').where({ id: unit }).first()).notes).toBe('jam sudah dibetulkan');
    expect((await platformDb(desktop.app)('units').where({ id: unit }).first()).notes).toBe('jam sudah dibetulkan');
  });
});
