import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * An office desktop (SQLite) paired with a hosted instance (PostgreSQL, `pgUrl`) of one estate, both taking
 * payments on the same day: each site numbers under its own code, so the numbers differ and sync carries both.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function numbersOn(server: TestServer, table: 'payments' | 'receipts', column: 'number' | 'receipt_number') {
  return ((await db(server)(table).where({ estate_id: estateId }).orderBy(column).pluck(column)) as string[]).sort();
}

async function conflictsOn(server: TestServer) {
  return Number(((await db(server)('sync_conflicts').count({ n: '*' }).first()) as { n: unknown }).n);
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
});
afterAll(() => sites?.close());

describe('human numbers of a desktop and the hosted instance of one estate', () => {
  it('gives the hosted instance its own site code at pairing, one the desktop has never used', async () => {
    // A code the desktop once held (retired) is on paper somewhere: the hosted instance must not take it either.
    // Written through the store, as a code arriving from that laptop would be: journaled like every row.
    const laptop = new ScopedStore(desktop.db.knex, estateId, SYSTEM_ACTOR, desktop.app.sync);
    const retired = await laptop.insert<{ id: string }>('site_codes', { site_id: 'site-old-laptop', code: 'A' });
    await laptop.softDelete('site_codes', retired.id);
    const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
    const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
    expect(linked.status, linked.text).toBe(201);
    const own = await db(cloud)('site_codes').where({ estate_id: estateId, site_id: cloud.app.sync.siteId }).whereNull('deleted_at');
    expect(own.map((r: { code: string }) => r.code)).toEqual(['B']);
    // The desktop keeps the empty code it has always minted under.
    expect(await db(desktop)('site_codes').where({ site_id: desktop.app.sync.siteId })).toEqual([]);
  });

  it('numbers payments and receipts taken on both sides on one day apart, and syncs them both ways', async () => {
    const unitA = (await office.post(e('/units'), { code: 'A-1', occupancy: 'occupied' })).body.id;
    const unitB = (await office.post(e('/units'), { code: 'A-2', occupancy: 'occupied' })).body.id;
    const fee = await office.post(e('/fee-types'), { code: 'ipl', name: 'IPL', amount: 150000, basis: 'flat', effective_from: '2026-01' });
    expect(fee.status, fee.text).toBe(201);
    expect((await office.post(e('/billing-runs'), { period: '2026-06', due_date: '2026-06-10' })).status).toBe(201);
    expect((await office.post(e('/sync/run'))).body).toMatchObject({ ok: true, error: null, waiting: 0, conflicts: 0 });

    // One estate-local day: the office takes a payment and prints its receipt, sync carries them up, then the hosted
    // instance takes one (a cash-book chain has one writer at a time, so the two sides take turns here; numbering
    // alone is what this test is about). The hosted instance's counters know nothing of the office's: counters never
    // travel, so only its own site code keeps it from minting the office's number again.
    const atOffice = await office.post(e('/payments'), {
      unit_id: unitA,
      amount: 150000,
      method: 'cash',
      paid_at: '2026-06-05T03:00:00.000Z',
    });
    expect(atOffice.status, atOffice.text).toBe(201);
    const day = /^PAY(\d{8})001$/.exec(atOffice.body.payment_number)?.[1];
    expect(day, atOffice.body.payment_number).toBeDefined();
    expect((await office.get(e(`/payments/${atOffice.body.id}/receipt`))).status).toBe(200);
    expect((await office.post(e('/sync/run'))).body).toMatchObject({ ok: true, error: null, waiting: 0, conflicts: 0 });

    const inCloud = await cloudAdmin.post(e('/payments'), {
      unit_id: unitB,
      amount: 150000,
      method: 'cash',
      paid_at: '2026-06-05T04:00:00.000Z',
    });
    expect(inCloud.status, inCloud.text).toBe(201);
    expect(inCloud.body.payment_number).toBe(`PAY-B${day}001`);
    const receiptThere = await cloudAdmin.get(e(`/payments/${inCloud.body.id}/receipt`));
    expect(receiptThere.status, receiptThere.text).toBe(200);
    const down = await office.post(e('/sync/run'));
    expect(down.body, down.text).toMatchObject({ ok: true, error: null, waiting: 0, conflicts: 0 });
    expect(down.body.pulled).toBeGreaterThan(0);

    // Back at the office the same day: its own series goes on, and that payment goes up too.
    const later = await office.post(e('/payments'), { unit_id: unitB, amount: 10000, method: 'cash', paid_at: '2026-06-05T05:00:00.000Z' });
    expect(later.body.payment_number).toBe(`PAY${day}002`);
    expect((await office.get(e(`/payments/${later.body.id}/receipt`))).status).toBe(200);
    expect((await office.post(e('/sync/run'))).body).toMatchObject({ ok: true, error: null, waiting: 0, conflicts: 0 });
    expect((await office.post(e('/sync/run'))).body).toMatchObject({ ok: true, pushed: 0, pulled: 0, waiting: 0 });

    const payments = [`PAY-B${day}001`, `PAY${day}001`, `PAY${day}002`];
    const receipts = [`KW-B${day}001`, `KW${day}001`, `KW${day}002`];
    for (const server of [desktop, cloud]) {
      expect(await numbersOn(server, 'payments', 'number')).toEqual(payments);
      expect(await numbersOn(server, 'receipts', 'receipt_number')).toEqual(receipts);
      expect(await conflictsOn(server)).toBe(0);
    }
    // The hosted instance's code reached the desktop as a row of the estate.
    const cloudCode = await db(desktop)('site_codes').where({ estate_id: estateId, site_id: cloud.app.sync.siteId }).first('code');
    expect(cloudCode).toEqual({ code: 'B' });
  });
});
