import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
let estateId: string;
let admin: Awaited<ReturnType<typeof setupEstate>>['client'];
const base = () => `/estates/${estateId}`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server.close();
});

async function counts() {
  const k = server.db.knex;
  const one = async (t: string) => Number((await k(t).count({ n: '*' }))[0].n);
  return { units: await one('units'), residents: await one('residents'), audit: await one('audit_log'), outbox: await one('outbox') };
}

describe('units', () => {
  it('creates a unit with normalised code and block, writing one audit and one outbox row', async () => {
    const before = await counts();
    const res = await admin.post(`${base()}/units`, {
      code: 'Blok B No. 7',
      type: 'ruko',
      land_area_m2: 90,
      building_area_m2: 150,
      occupancy: 'vacant',
      notes: 'pojok',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({ code: 'B-7', block: 'B', type: 'ruko', land_area_m2: 90, occupancy: 'vacant', residents: [] });
    expect(res.body.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7/);
    const after = await counts();
    expect(after).toEqual({ units: before.units + 1, residents: before.residents, audit: before.audit + 1, outbox: before.outbox + 1 });
    const audit = await server.db.knex('audit_log').orderBy('id', 'desc').first();
    expect(audit).toMatchObject({
      action: 'units.create',
      entity_id: res.body.id,
      estate_id: estateId,
      actor_role: 'platform_admin',
      actor_user_id: expect.any(String),
    });
  });

  it('refuses a duplicate code with 409 DUPLICATE on the code field; the code is free again after delete', async () => {
    const first = await admin.post(`${base()}/units`, { code: 'C-1' });
    const dup = await admin.post(`${base()}/units`, { code: 'c1' });
    expect(dup.status).toBe(409);
    expect(dup.body.error).toMatchObject({ code: 'DUPLICATE', field: 'code' });
    expect((await admin.delete(`${base()}/units/${first.body.id}`)).status).toBe(204);
    expect((await admin.get(`${base()}/units/${first.body.id}`)).status).toBe(404);
    expect((await admin.post(`${base()}/units`, { code: 'C-1' })).status).toBe(201);
    const tomb = await server.db.knex('units').where({ id: first.body.id }).first();
    expect(tomb.deleted_at).toBeTruthy();
  });

  it('validates fields and names the field', async () => {
    const res = await admin.post(`${base()}/units`, { code: 'D-1', land_area_m2: -5 });
    expect(res.status).toBe(400);
    expect(res.body.error).toMatchObject({ code: 'VALIDATION_FAILED', field: 'land_area_m2' });
    const t = await admin.post(`${base()}/units`, { code: 'D-1', type: 'istana' });
    expect(t.body.error.field).toBe('type');
  });

  it('patches a unit and keeps before/after in the audit row', async () => {
    const u = await admin.post(`${base()}/units`, { code: 'E-3', occupancy: 'occupied' });
    const p = await admin.patch(`${base()}/units/${u.body.id}`, { occupancy: 'vacant', notes: 'dijual' });
    expect(p.status).toBe(200);
    expect(p.body).toMatchObject({ occupancy: 'vacant', notes: 'dijual' });
    const audit = await server.db.knex('audit_log').where({ entity_id: u.body.id, action: 'units.update' }).first();
    expect(JSON.parse(audit.before).occupancy).toBe('occupied');
    expect(JSON.parse(audit.after).occupancy).toBe('vacant');
  });

  it('lists in natural order, filters, pages and searches by code and resident name', async () => {
    for (const code of ['G-10', 'G-2', 'G-1']) await admin.post(`${base()}/units`, { code, type: 'rumah' });
    const g = await admin.get(`${base()}/units?block=G`);
    expect(g.body.items.map((u: { code: string }) => u.code)).toEqual(['G-1', 'G-2', 'G-10']);
    const paged = await admin.get(`${base()}/units?block=G&limit=2&offset=2`);
    expect(paged.body).toMatchObject({ total: 3, limit: 2, offset: 2 });
    expect(paged.body.items.map((u: { code: string }) => u.code)).toEqual(['G-10']);
    const g2 = (await admin.get(`${base()}/units?q=G-2`)).body.items[0];
    await admin.post(`${base()}/residents`, { name: 'Hendra Wijaya', unit_id: g2.id, relation: 'owner' });
    const byName = await admin.get(`${base()}/units?q=wijaya`);
    expect(byName.body.items.map((u: { code: string }) => u.code)).toEqual(['G-2']);
    expect(byName.body.items[0].residents).toEqual([expect.objectContaining({ name: 'Hendra Wijaya', relation: 'owner' })]);
    const bad = await admin.get(`${base()}/units?limit=100000`);
    expect(bad.status).toBe(400);
  });
});

describe('residents', () => {
  it('creates a resident with a normalised phone linked to a unit, and finds them by phone digits', async () => {
    const unit = await admin.post(`${base()}/units`, { code: 'H-5' });
    const r = await admin.post(`${base()}/residents`, {
      name: 'Siti Rahma',
      phone: '0812 3456 7890',
      email: 'Siti@Mail.id',
      unit_id: unit.body.id,
      relation: 'tenant',
      moved_in_on: '2025-07-01',
      directory_opt_in: true,
    });
    expect(r.status).toBe(201);
    expect(r.body).toMatchObject({
      phone: '+6281234567890',
      email: 'siti@mail.id',
      unit_code: 'H-5',
      relation: 'tenant',
      moved_in_on: '2025-07-01',
      directory_opt_in: true,
    });
    const found = await admin.get(`${base()}/residents?q=0812-3456`);
    expect(found.body.items.map((x: { name: string }) => x.name)).toContain('Siti Rahma');
  });

  it('rejects a bad phone, a bad date and an unknown unit with field errors', async () => {
    expect((await admin.post(`${base()}/residents`, { name: 'X', phone: '12' })).body.error.field).toBe('phone');
    expect((await admin.post(`${base()}/residents`, { name: 'X', moved_in_on: '2025-02-30' })).body.error.field).toBe('moved_in_on');
    const unknown = await admin.post(`${base()}/residents`, { name: 'X', unit_id: '0190a000-0000-7000-8000-000000000000' });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error.field).toBe('unit_id');
    expect((await admin.get(`${base()}/residents?q=X`)).body.items.filter((x: { name: string }) => x.name === 'X')).toEqual([]);
  });

  it('keeps the unit history through move-out and a new tenant', async () => {
    const unit = await admin.post(`${base()}/units`, { code: 'J-8' });
    const a = await admin.post(`${base()}/residents`, {
      name: 'Penyewa Lama',
      unit_id: unit.body.id,
      relation: 'tenant',
      moved_in_on: '2024-01-01',
    });
    const out = await admin.patch(`${base()}/residents/${a.body.id}`, { moved_out_on: '2025-12-31' });
    expect(out.body.moved_out_on).toBe('2025-12-31');
    const bad = await admin.patch(`${base()}/residents/${a.body.id}`, { moved_out_on: '2020-01-01' });
    expect(bad.status).toBe(400);
    await admin.post(`${base()}/residents`, { name: 'Penyewa Baru', unit_id: unit.body.id, relation: 'tenant', moved_in_on: '2026-01-01' });
    const hist = await admin.get(`${base()}/units/${unit.body.id}/history`);
    expect(hist.body.items.map((h: { name: string; moved_out_on: string | null }) => [h.name, h.moved_out_on])).toEqual([
      ['Penyewa Baru', null],
      ['Penyewa Lama', '2025-12-31'],
    ]);
    const detail = await admin.get(`${base()}/units/${unit.body.id}`);
    expect(detail.body.residents.map((r: { name: string }) => r.name)).toEqual(['Penyewa Baru']);
  });

  it('moves a resident to another unit, closing the old link', async () => {
    const u1 = await admin.post(`${base()}/units`, { code: 'K-1' });
    const u2 = await admin.post(`${base()}/units`, { code: 'K-2' });
    const r = await admin.post(`${base()}/residents`, { name: 'Pindahan', unit_id: u1.body.id });
    const moved = await admin.patch(`${base()}/residents/${r.body.id}`, { unit_id: u2.body.id });
    expect(moved.body.unit_code).toBe('K-2');
    const hist = await admin.get(`${base()}/units/${u1.body.id}/history`);
    expect(hist.body.items[0].moved_out_on).toBeTruthy();
  });

  it('tombstones a resident and closes their unit link', async () => {
    const u = await admin.post(`${base()}/units`, { code: 'L-1' });
    const r = await admin.post(`${base()}/residents`, { name: 'Akan Dihapus', unit_id: u.body.id });
    expect((await admin.delete(`${base()}/residents/${r.body.id}`)).status).toBe(204);
    expect((await admin.get(`${base()}/residents/${r.body.id}`)).status).toBe(404);
    expect((await admin.get(`${base()}/units/${u.body.id}`)).body.residents).toEqual([]);
    expect((await server.db.knex('residents').where({ id: r.body.id }).first()).deleted_at).toBeTruthy();
  });
});
