import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localDateAt } from '../../server/calendar/calendar.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/** The estate's calendar reaches the screens through the API: its zone with the session, its today on request. */
let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  expect((await admin.patch(`/estates/${estateId}`, { timezone: 'Asia/Jayapura' })).status).toBe(200);
});
afterAll(async () => {
  await server?.close();
});

describe('estate calendar', () => {
  it("answers today and the period in the estate's own zone", async () => {
    const before = Date.now();
    const res = await admin.get(`/estates/${estateId}/calendar`);
    expect(res.status).toBe(200);
    expect(res.body.timezone).toBe('Asia/Jayapura');
    // Jayapura is UTC+9: from 15:00 UTC its date is already UTC's tomorrow.
    expect([localDateAt(before, 'Asia/Jayapura'), localDateAt(Date.now(), 'Asia/Jayapura')]).toContain(res.body.today);
    expect(res.body.period).toBe(res.body.today.slice(0, 7));
  });

  it('sends the zone of each estate with the session, so screens never guess an offset', async () => {
    const me = await admin.get('/auth/me');
    expect(me.body.memberships.find((m: { estate_id: string }) => m.estate_id === estateId).estate_timezone).toBe('Asia/Jayapura');
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    expect((await guard.client.get(`/estates/${estateId}/calendar`)).body.timezone).toBe('Asia/Jayapura');
  });

  it("is another estate's business only for its members", async () => {
    const other = (await admin.post('/estates', { name: 'Perumahan Lain' })).body.id as string;
    expect((await admin.get(`/estates/${other}/calendar`)).status).toBe(200);
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    expect((await guard.client.get(`/estates/${other}/calendar`)).status).toBe(404);
  });

  it("dates a move to another unit and a move-out on the estate's today", async () => {
    const u1 = (await admin.post(`/estates/${estateId}/units`, { code: 'K-1' })).body.id;
    const u2 = (await admin.post(`/estates/${estateId}/units`, { code: 'K-2' })).body.id;
    const r = (await admin.post(`/estates/${estateId}/residents`, { name: 'Pindahan', unit_id: u1, moved_in_on: '2025-01-01' })).body;
    const moved = await admin.patch(`/estates/${estateId}/residents/${r.id}`, { unit_id: u2 });
    const { today } = (await admin.get(`/estates/${estateId}/calendar`)).body;
    expect(moved.body).toMatchObject({ unit_id: u2, moved_in_on: today });
    const closed = await server.db.knex('unit_occupancies').where({ resident_id: r.id, unit_id: u1 }).first('moved_out_on');
    expect(closed.moved_out_on).toBe(today);
  });
});
