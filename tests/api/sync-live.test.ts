import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { newId } from '../../server/db/ids.ts';
import { openPullWaits } from '../../server/sync/pull-wait.ts';
import { syncLoopOf } from '../../server/sync/sync-loop.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { type ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';
import { captureLogger } from '../support/log-capture.ts';

/**
 * Live sync: an office desktop (SQLite) running its sync loop and a hosted instance (PostgreSQL, `pgUrl`). Nobody
 * calls sync by hand and the minute schedule is off in test servers, so whatever arrives came through the loop: the
 * push after a write, and the pull the hosted instance holds open until it has news.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let token: string;
const e = (p: string) => `/estates/${estateId}${p}`;

/** Polls `read` until it returns something, or fails after `timeoutMs`. */
async function eventually<T>(read: () => Promise<T | undefined>, timeoutMs = 5_000): Promise<T> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error(`nothing arrived within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'), { desktopLiveSync: true });
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  token = (await platformDb(desktop.app)('sync_links').where({ estate_id: estateId }).first()).token;
});
afterAll(() => sites?.close());

describe('live sync between an office desktop and the hosted instance', () => {
  it('shows a unit renamed on the desktop on the hosted instance within seconds, without a sync run', async () => {
    const unit = (await office.post(e('/units'), { code: 'L-1', occupancy: 'occupied' })).body.id as string;
    await eventually(async () => ((await cloudAdmin.get(e(`/units/${unit}`))).status === 200 ? true : undefined));
    const renamedAt = Date.now();
    expect((await office.patch(e(`/units/${unit}`), { code: 'L-1A' })).status).toBe(200);
    await eventually(async () => {
      const there = await cloudAdmin.get(e(`/units/${unit}`));
      return there.body.code === 'L-1A' ? true : undefined;
    });
    // Well inside the minute the schedule would take (the loop aims at a fraction of a second).
    expect(Date.now() - renamedAt).toBeLessThan(3_000);
    expect((await office.get(e('/sync'))).body).toMatchObject({ waiting: 0, last_error: null });
  });

  it('shows a payment made on the hosted instance on the desktop within seconds, without a sync run', async () => {
    const unit = (await office.post(e('/units'), { code: 'L-2', occupancy: 'occupied' })).body.id as string;
    await eventually(async () => ((await cloudAdmin.get(e(`/units/${unit}`))).status === 200 ? true : undefined));
    const paidAt = Date.now();
    const paid = await cloudAdmin.post(e('/payments'), {
      unit_id: unit,
      amount: 125000,
      method: 'bank_transfer',
      paid_at: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(201);
    const here = await eventually(async () => {
      const res = await office.get(e(`/payments/${paid.body.id}`));
      return res.status === 200 ? res.body : undefined;
    });
    expect(here).toMatchObject({ id: paid.body.id, amount: 125000, unit_id: unit });
    expect(Date.now() - paidAt).toBeLessThan(3_000);
  });

  it('answers a waiting pull as soon as the hosted instance has a change, and caps open waits per desktop', async () => {
    const pull = (body: unknown) => cloudAdmin.withBearer(token).post('/sync/pull', body);
    expect((await pull({ cursor: '', wait_ms: 25_001 })).status).toBe(400);
    const cursor = (await platformDb(desktop.app)('sync_links').where({ estate_id: estateId }).first()).pull_cursor as string;
    // The desktop's own loop holds one wait with this credential; one more fits, a third is refused.
    await eventually(async () => (openPullWaits(cloud.app, estateId) >= 1 ? true : undefined));
    const started = Date.now();
    const waiting = pull({ cursor, wait_ms: 20_000 });
    await eventually(async () => (openPullWaits(cloud.app, estateId) >= 2 ? true : undefined));
    const refused = await pull({ cursor, wait_ms: 20_000 });
    expect(refused.status).toBe(429);
    expect(refused.body.error.code).toBe('SYNC_TOO_MANY_WAITS');
    const unit = (await platformDb(desktop.app)('units').where({ estate_id: estateId, code: 'L-2' }).first()).id as string;
    expect((await cloudAdmin.patch(e(`/units/${unit}`), { notes: 'dipasang meteran baru' })).status).toBe(200);
    const answer = await waiting;
    expect(answer.status, answer.text).toBe(200);
    expect(answer.body.changes.map((c: { table: string }) => c.table)).toContain('units');
    expect(Date.now() - started).toBeLessThan(5_000);
    await eventually(async () => ((await office.get(e(`/units/${unit}`))).body.notes === 'dipasang meteran baru' ? true : undefined));
  });

  it('backs off while the hosted instance cannot be reached, and warns once', async () => {
    let requests = 0;
    const down = http.createServer((_req, res) => {
      requests++;
      res.writeHead(503).end();
    });
    await new Promise<void>((resolve) => down.listen(0, '127.0.0.1', resolve));
    const capture = captureLogger();
    const office2 = await startTestServer({ liveSync: true, logger: capture.log });
    try {
      const own = await setupEstate(office2.url);
      const at = new Date().toISOString();
      await platformDb(office2.app)('sync_links').insert({
        id: newId(),
        estate_id: own.estateId,
        cloud_url: `http://127.0.0.1:${(down.address() as AddressInfo).port}`,
        token: 'kls_unreachable',
        pull_cursor: '',
        created_at: at,
        updated_at: at,
      });
      await syncLoopOf(office2.app)!.refresh();
      for (let i = 0; i < 5; i++) await own.client.post(`/estates/${own.estateId}/units`, { code: `X-${i}`, occupancy: 'vacant' });
      await new Promise((r) => setTimeout(r, 2_500));
      // A loop without a pause would have asked hundreds of times; with pauses of 1 s, 2 s, … a handful.
      expect(requests).toBeGreaterThan(0);
      expect(requests).toBeLessThanOrEqual(8);
      expect(capture.records().filter((r) => r.level === 'warn' && String(r.msg).startsWith('sync:'))).toEqual([
        expect.objectContaining({ estate_id: own.estateId, error_code: 'SYNC_CLOUD_UNREACHABLE' }),
      ]);
      const status = (await own.client.get(`/estates/${own.estateId}/sync`)).body;
      expect(status.waiting).toBeGreaterThanOrEqual(5);
      expect(status.last_error.code).toBe('SYNC_CLOUD_UNREACHABLE');
    } finally {
      await office2.close();
      await new Promise((resolve) => down.close(resolve));
    }
  });

  it('stops the loop when the server closes, releasing the pull it held open at the hosted instance', async () => {
    const office3 = await startTestServer({ liveSync: true });
    let closed = false;
    try {
      const own = await setupEstate(office3.url, 'Perumahan Taman Sari');
      const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
      expect((await own.client.post(`/estates/${own.estateId}/sync/link`, { cloud_url: cloud.url, code })).status).toBe(201);
      await eventually(async () => (openPullWaits(cloud.app, own.estateId) >= 1 ? true : undefined));
      const started = Date.now();
      await office3.close();
      closed = true;
      // Not the 25 s the pull was allowed to wait.
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(syncLoopOf(office3.app)).toBeUndefined();
      await eventually(async () => (openPullWaits(cloud.app, own.estateId) === 0 ? true : undefined), 2_000);
    } finally {
      if (!closed) await office3.close();
    }
  });
});
