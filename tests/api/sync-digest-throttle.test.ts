import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * Sync digests hash every row of the estate on both sides, so the desktop compares them at most once per interval
 * per link (here 10 minutes) and not in the link's first upload: a table changed behind sync's back is named by the
 * first cycle after the interval, still only when it differs twice in a row. Desktop on SQLite, hosted on `pgUrl`.
 */
let sites: SyncSites;
let desktop: TestServer;
let office: ApiClient;
let estateId: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;

async function run() {
  const res = await office.post(e('/sync/run'));
  expect(res.body.ok, res.text).toBe(true);
  return res.body;
}

const link = async () =>
  (await platformDb(desktop.app)('sync_links').where({ estate_id: estateId }).first()) as Record<string, string | null>;

/** Any ordinary change, so the next cycle moves something. */
let n = 0;
const change = async () =>
  expect((await office.post(e('/residents'), { name: `Warga ${++n}`, unit_id: unitId, relation: 'tenant' })).status).toBe(201);

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'), { desktopOptions: { syncDigestIntervalMs: 10 * 60_000 } });
  ({ desktop, office, estateId } = sites);
  const code = (await sites.cloudAdmin.post('/sync/link-codes')).body.code as string;
  expect((await office.post(e('/sync/link'), { cloud_url: sites.cloud.url, code })).status).toBe(201);
  unitId = (await office.post(e('/units'), { code: 'G-1', occupancy: 'occupied' })).body.id;
}, 120_000);
afterAll(() => sites?.close());

describe('sync digests, throttled', () => {
  it("are not compared in the link's first upload, and are by the next cycle that moves something", async () => {
    const first = await run();
    expect(first.pushed).toBeGreaterThan(0);
    expect((await link()).digest_checked_at).toBeNull();
    await change();
    await run();
    expect((await link()).digest_checked_at).not.toBeNull();
  });

  it('are compared at most once per interval: a change behind sync’s back waits for the interval, then is named', async () => {
    const checkedAt = (await link()).digest_checked_at;
    await platformDb(desktop.app)('units').where({ id: unitId }).update({ notes: 'diubah tanpa jejak' });
    await change();
    expect((await run()).pushed).toBeGreaterThan(0);
    expect((await link()).digest_checked_at).toBe(checkedAt);
    expect((await office.get(e('/sync'))).body.digest_alert).toBeNull();

    // Eleven minutes later, as far as the link knows.
    const earlier = new Date(Date.parse(checkedAt!) - 11 * 60_000).toISOString();
    await platformDb(desktop.app)('sync_links').where({ estate_id: estateId }).update({ digest_checked_at: earlier });
    await change();
    await run();
    expect((await link()).digest_checked_at).not.toBe(earlier);
    expect((await office.get(e('/sync'))).body.digest_alert).toMatchObject({ tables: ['units'] });
  });

  it('while the alert stands, the next cycle compares again and clears it once repaired', async () => {
    expect((await office.patch(e(`/units/${unitId}`), { notes: 'diperbaiki' })).status).toBe(200);
    await run();
    expect((await office.get(e('/sync'))).body.digest_alert).toBeNull();
  });
});
