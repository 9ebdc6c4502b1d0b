import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allRoutes } from '../../server/http/routes-index.ts';
import { apiClient, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { fillPath, jsonSchemaOf, plausibleValue } from '../support/route-sweep.ts';

/**
 * Two estates on one server. An administrator of estate A (not a platform admin) gets 404 on every route of
 * estate B, and 404 when reaching B's rows through A's own paths. Nothing of B changes.
 */
let server: TestServer;
let platform: ApiClient;
let adminA: ApiClient;
let estateA: string;
let estateB: string;
let unitB: string;
let residentB: string;

beforeAll(async () => {
  server = await startTestServer();
  const s = await setupEstate(server.url, 'Perumahan A');
  platform = s.client;
  estateA = s.estateId;
  await platform.post(`/estates/${estateA}/users`, {
    name: 'Admin A',
    email: 'admin-a@a.id',
    role: 'estate_admin',
    password: 'admin-a-rahasia',
  });
  adminA = apiClient(server.url);
  await adminA.post('/auth/login', { login: 'admin-a@a.id', password: 'admin-a-rahasia' });
  estateB = (await platform.post('/estates', { name: 'Perumahan B' })).body.id;
  unitB = (await platform.post(`/estates/${estateB}/units`, { code: 'B-1' })).body.id;
  residentB = (await platform.post(`/estates/${estateB}/residents`, { name: 'Warga B', unit_id: unitB })).body.id;
});
afterAll(async () => {
  await server.close();
});

async function estateBFingerprint() {
  const k = server.db.knex;
  return {
    units: await k('units').where({ estate_id: estateB }).select('*'),
    residents: await k('residents').where({ estate_id: estateB }).select('*'),
    audit: Number((await k('audit_log').where({ estate_id: estateB }).count({ n: '*' }))[0].n),
  };
}

describe('estate isolation', () => {
  it('answers 404 on every estate-scoped route of another estate', async () => {
    const before = await estateBFingerprint();
    let checked = 0;
    for (const r of allRoutes.filter((x) => x.path.includes(':estate_id') && x.permission !== 'public')) {
      const path = fillPath(r.path, { estate_id: estateB, default: unitB });
      const schema = jsonSchemaOf(r.body);
      const body = r.method === 'get' ? undefined : schema ? plausibleValue(schema) : {};
      const res = await adminA.request(r.method.toUpperCase(), path, body);
      expect(res.status, `${r.method} ${r.path}`).toBe(404);
      checked++;
    }
    expect(checked).toBeGreaterThan(10);
    expect(await estateBFingerprint()).toEqual(before);
  });

  it("answers 404 for another estate's unit and resident ids under one's own estate", async () => {
    const before = await estateBFingerprint();
    const a = `/estates/${estateA}`;
    expect((await adminA.get(`${a}/units/${unitB}`)).status).toBe(404);
    expect((await adminA.get(`${a}/units/${unitB}/history`)).status).toBe(404);
    expect((await adminA.patch(`${a}/units/${unitB}`, { notes: 'diubah' })).status).toBe(404);
    expect((await adminA.delete(`${a}/units/${unitB}`)).status).toBe(404);
    expect((await adminA.get(`${a}/residents/${residentB}`)).status).toBe(404);
    expect((await adminA.patch(`${a}/residents/${residentB}`, { name: 'Diubah' })).status).toBe(404);
    expect((await adminA.delete(`${a}/residents/${residentB}`)).status).toBe(404);
    const link = await adminA.post(`${a}/residents`, { name: 'Warga A', unit_id: unitB });
    expect(link.status).toBe(400);
    expect(link.body.error.field).toBe('unit_id');
    expect((await adminA.get(`${a}/units`)).body.items.map((u: { id: string }) => u.id)).not.toContain(unitB);
    expect((await adminA.get(`${a}/residents?q=Warga B`)).body.total).toBe(0);
    expect(await estateBFingerprint()).toEqual(before);
  });

  it("lists only the caller's estates", async () => {
    const mine = await adminA.get('/estates');
    expect(mine.body.items.map((e: { name: string }) => e.name)).toEqual(['Perumahan A']);
    const all = await platform.get('/estates');
    expect(all.body.items.map((e: { name: string }) => e.name).sort()).toEqual(['Perumahan A', 'Perumahan B']);
  });

  it('answers 404, not 500, to estate ids that are not ids at all', async () => {
    for (const id of ['1', 'x'.repeat(300), '%27%20OR%201=1', '0190a000-0000-7000-8000-000000000000']) {
      expect((await adminA.get(`/estates/${id}/units`)).status).toBe(404);
    }
  });
});
