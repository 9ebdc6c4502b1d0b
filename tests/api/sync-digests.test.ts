import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { divergedTables, estateDigests } from '../../server/sync/digests.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * Per-table digests between an office desktop (SQLite) and the hosted instance (PostgreSQL, `pgUrl`): equal after
 * sync; a row changed behind sync's back raises an alert on the status API naming that table, in Indonesian and
 * English, which clears once the two agree again.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;

async function run() {
  const res = await office.post(e('/sync/run'));
  expect(res.body.ok, res.text).toBe(true);
  return res.body;
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  expect((await office.post(e('/sync/link'), { cloud_url: cloud.url, code })).status).toBe(201);
  unitId = (await office.post(e('/units'), { code: 'G-1', occupancy: 'occupied', land_area_m2: 120.5 })).body.id;
  expect((await office.post(e('/residents'), { name: 'Sari', phone: '081234567890', unit_id: unitId, relation: 'owner' })).status).toBe(
    201,
  );
  const charge = await office.post(e('/charges'), {
    name: 'Iuran',
    amount: 150_000,
    period: '2026-11',
    due_date: '2026-11-20',
    unit_ids: [unitId],
  });
  expect(charge.status, charge.text).toBe(201);
  expect((await office.post(e('/payments'), { unit_id: unitId, amount: 100_000, method: 'cash', paid_at: '2026-11-03' })).status).toBe(201);
  expect((await office.post(e('/sync/run'))).body.ok).toBe(true);
  expect((await cloudAdmin.patch(e(`/units/${unitId}`), { notes: 'dari awan' })).status).toBe(200);
}, 120_000);
afterAll(() => sites?.close());

describe('per-table digests', () => {
  it('are equal on both sides after sync, and the office sees no alert', async () => {
    const first = await run();
    expect([first.pulled > 0, first.waiting]).toEqual([true, 0]);
    const mine = await estateDigests(platformDb(desktop.app), estateId);
    const theirs = await estateDigests(platformDb(cloud.app), estateId);
    expect(Object.keys(mine)).toEqual(expect.arrayContaining(['units', 'residents', 'invoices', 'payments', 'payment_allocations']));
    expect(mine.units.count).toBe(1);
    expect(divergedTables(mine, theirs)).toEqual([]);
    const status = (await office.get(e('/sync'))).body;
    expect(status.digest_alert).toBeNull();
  });

  it('names a table changed behind sync’s back after the next cycle, in Indonesian and English', async () => {
    // Written straight into the desktop's database: no outbox row, so sync never carries it.
    await platformDb(desktop.app)('units').where({ id: unitId }).update({ notes: 'diubah tanpa jejak' });
    // Any ordinary change makes the next cycle move something and compare.
    expect((await office.post(e('/residents'), { name: 'Tono', unit_id: unitId, relation: 'tenant' })).status).toBe(201);
    const cycle = await run();
    expect(cycle.pushed).toBeGreaterThan(0);
    const status = (await office.get(e('/sync'))).body;
    expect(status.digest_alert).toMatchObject({ tables: ['units'] });
    expect(status.digest_alert.message).toBe(
      'Data di komputer ini dan di server awan berbeda pada tabel: units. Jangan ubah data itu dulu dan hubungi pengelola.',
    );
    const english = (await office.get(e('/sync'), { 'accept-language': 'en' })).body;
    expect(english.digest_alert.message).toBe(
      'The data on this computer and on the hosted instance differ in these tables: units. Do not change that data yet and contact the administrator.',
    );
  });

  it('clears the alert once both sides agree again', async () => {
    expect((await office.patch(e(`/units/${unitId}`), { notes: 'diperbaiki' })).status).toBe(200);
    await run();
    expect((await office.get(e('/sync'))).body.digest_alert).toBeNull();
  });
});
