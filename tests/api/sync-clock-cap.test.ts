import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { decodeHlc, HybridLogicalClock, MAX_REMOTE_LEAD_MS } from '../../server/sync/hlc.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * An office desktop (SQLite) whose date was set years ahead syncs with the hosted instance (PostgreSQL, `pgUrl`): its
 * changes arrive and apply, but the hosted clock, shared by every estate, moves at most a week past its own wall
 * clock, when they arrive and when the hosted instance restarts; the desktop's own history still counts whole there.
 * The office is told plainly.
 */
const YEARS_AHEAD_MS = 4 * 365 * 24 * 60 * 60 * 1000;
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);
const millisOf = (hlc: string) => decodeHlc(hlc).millis;

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);
  expect(await runSyncCycle(desktop.app, estateId)).toMatchObject({ ok: true, waiting: 0 });
}, 120_000);
afterAll(() => sites?.close());

describe('a desktop clock set years ahead', () => {
  it('syncs its changes without dragging the hosted clock more than a week forward', async () => {
    desktop.app.sync.clock = new HybridLogicalClock(desktop.app.sync.siteId, () => Date.now() + YEARS_AHEAD_MS);
    const unit = (await office.post(e('/units'), { code: 'Z-30', occupancy: 'occupied' })).body.id as string;
    const stamped = (await db(desktop)('outbox').where({ row_id: unit }).max('hlc as hlc').first())!.hlc as string;
    expect(millisOf(stamped)).toBeGreaterThan(Date.now() + YEARS_AHEAD_MS / 2);

    expect(await runSyncCycle(desktop.app, estateId)).toMatchObject({ ok: true, waiting: 0 });
    expect((await db(cloud)('units').where({ id: unit }).first()).code).toBe('Z-30');
    // The change keeps its own clock value (both sides compare the same versions) ...
    expect((await db(cloud)('outbox').where({ row_id: unit }).max('hlc as hlc').first())!.hlc).toBe(stamped);
    // ... but the hosted clock stopped a week past its wall clock.
    const next = millisOf(cloud.app.sync.clock.tick());
    expect(next).toBeLessThanOrEqual(Date.now() + MAX_REMOTE_LEAD_MS);
    expect(next).toBeGreaterThan(Date.now() + MAX_REMOTE_LEAD_MS - 60_000);
  });

  it('does not drag it forward at a restart either, while the desktop still resumes after its own history', async () => {
    const hosted = await loadSyncContext(db(cloud));
    expect(hosted.siteId).toBe(cloud.app.sync.siteId);
    expect(millisOf(hosted.clock.tick())).toBeLessThanOrEqual(Date.now() + MAX_REMOTE_LEAD_MS);
    const office = await loadSyncContext(db(desktop));
    expect(millisOf(office.clock.tick())).toBeGreaterThan(Date.now() + YEARS_AHEAD_MS / 2);
  });

  it('tells the office that the clocks are days apart, in Indonesian and English', async () => {
    // What the handshake measured: the hosted instance's time minus the desktop's, years behind it.
    await db(desktop)('sync_links').where({ estate_id: estateId }).update({ clock_skew_ms: -YEARS_AHEAD_MS });
    const status = (await office.get(e('/sync'))).body;
    expect(status).toMatchObject({ clock_far_off: true });
    expect(status.clock_warning).toMatch(/^Jam komputer kantor berbeda lebih dari 7 hari/);
    const english = (await office.get(e('/sync'), { 'accept-language': 'en' })).body;
    expect(english.clock_warning).toMatch(/^The office computer's clock is more than 7 days off/);
    await db(desktop)('sync_links')
      .where({ estate_id: estateId })
      .update({ clock_skew_ms: 5 * 60_000 });
    expect((await office.get(e('/sync'))).body).toMatchObject({ clock_far_off: false, clock_warning: expect.stringMatching(/2 menit/) });
  });
});
