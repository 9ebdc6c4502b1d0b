import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { apiClient, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/** The hosted-instance configuration: the same HTTP server, on PostgreSQL (`pgUrl` from the global setup). */
let pgdb: TestDatabase;
let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  server = await startTestServer({ databaseUrl: pgdb.url });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  await pgdb?.drop();
});

describe('the server on PostgreSQL', () => {
  it('reports PostgreSQL and runs setup', async () => {
    const health = await apiClient(server.url).get('/health');
    expect(health.body).toMatchObject({ database: 'postgres', setup_required: false });
  });

  it('creates, searches, pages and tombstones units and residents with audit and outbox rows', async () => {
    const a = `/estates/${estateId}`;
    for (const code of ['A-10', 'A-2', 'A-1']) expect((await admin.post(`${a}/units`, { code, land_area_m2: 72.5 })).status).toBe(201);
    const list = await admin.get(`${a}/units?block=A`);
    expect(list.body.items.map((u: { code: string }) => u.code)).toEqual(['A-1', 'A-2', 'A-10']);
    expect(list.body.total).toBe(3);
    expect(typeof list.body.total).toBe('number');
    expect(list.body.items[0].land_area_m2).toBe(72.5);
    const dup = await admin.post(`${a}/units`, { code: 'a2' });
    expect(dup.status).toBe(409);
    const unit = list.body.items[1];
    const r = await admin.post(`${a}/residents`, {
      name: 'Dewi Lestari',
      phone: '0812-7777-8888',
      unit_id: unit.id,
      relation: 'owner',
      directory_opt_in: true,
    });
    expect(r.body).toMatchObject({ phone: '+6281277778888', unit_code: 'A-2', directory_opt_in: true });
    expect((await admin.get(`${a}/units?q=LESTARI`)).body.items.map((u: { code: string }) => u.code)).toEqual(['A-2']);
    expect((await admin.get(`${a}/residents?q=7777`)).body.total).toBe(1);
    expect((await admin.delete(`${a}/units/${list.body.items[0].id}`)).status).toBe(204);
    expect((await admin.post(`${a}/units`, { code: 'A-1' })).status).toBe(201);
    const k = server.db.knex;
    const audit = Number((await k('audit_log').where({ estate_id: estateId }).count({ n: '*' }))[0].n);
    const outbox = Number((await k('outbox').where({ estate_id: estateId }).count({ n: '*' }))[0].n);
    expect(audit).toBeGreaterThanOrEqual(8);
    expect(outbox).toBeGreaterThanOrEqual(7);
  });

  it('keeps another estate out with 404', async () => {
    const other = (await admin.post('/estates', { name: 'Perumahan Lain' })).body.id;
    await admin.post(`/estates/${estateId}/users`, {
      name: 'Admin Saja',
      email: 'saja@a.id',
      role: 'estate_admin',
      password: 'rahasia-saja-1',
    });
    const c = apiClient(server.url);
    await c.post('/auth/login', { login: 'saja@a.id', password: 'rahasia-saja-1' });
    expect((await c.get(`/estates/${other}/units`)).status).toBe(404);
    expect((await c.get(`/estates/${estateId}/units`)).status).toBe(200);
  });

  it('rejects malformed input with 4xx and writes nothing', async () => {
    const before = (await server.db.knex('audit_log').count({ n: '*' }))[0].n;
    expect((await admin.post(`/estates/${estateId}/units`, { code: 'X-1', land_area_m2: 'besar' })).status).toBe(400);
    expect((await admin.post(`/estates/${estateId}/residents`, { name: 'x'.repeat(500) })).status).toBe(400);
    expect((await server.db.knex('audit_log').count({ n: '*' }))[0].n).toBe(before);
  });
});
