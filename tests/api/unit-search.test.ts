import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { GUARD_PIN, pairedKioskOnShift } from './gate-post-fixture.ts';

/**
 * One unit search for the office, the record-payment form and the guard's walk-in form: codes in any spelling, house
 * numbers, residents' names; natural order with exact codes first. Runs on SQLite and on PostgreSQL (`pgUrl`).
 */
describe.each(['sqlite', 'postgres'] as const)('unit search on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let admin: ApiClient;
  let kiosk: ApiClient;
  let estateId: string;
  let otherEstate: string;
  const ids = new Map<string, string>();
  const e = (p: string) => `/estates/${estateId}${p}`;
  const codes = async (client: ApiClient, q: string, extra = '') => {
    const res = await client.get(e(`/units/search?q=${encodeURIComponent(q)}${extra}`));
    expect(res.status, res.text).toBe(200);
    return res.body.items.map((u: { code: string }) => u.code);
  };
  const gateCodes = async (q: string) => {
    const res = await kiosk.get(e(`/gate/units?q=${encodeURIComponent(q)}`));
    expect(res.status, res.text).toBe(200);
    return res.body.items;
  };

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    ({ client: admin, estateId } = await setupEstate(server.url));
    // Created out of order, so that insertion or text order cannot pass for natural order.
    const all = ['A-120', 'A-12', 'B-12', 'A-2', 'A-10', 'A-1', 'C-12', 'F-12', 'F-3', 'A-012X', 'D-7', 'E-12'];
    for (const code of all) {
      const res = await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' });
      expect(res.status, res.text).toBe(201);
      ids.set(res.body.code, res.body.id);
    }
    const ruko = await admin.post(e('/units'), { code: 'RUKO-3', type: 'ruko', occupancy: 'occupied' });
    ids.set('RUKO-3', ruko.body.id);
    await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: ids.get('D-7'), relation: 'owner', directory_opt_in: true });
    await admin.post(e('/residents'), { name: 'Ñoman Āyu Lestari', unit_id: ids.get('F-3'), relation: 'owner', directory_opt_in: false });
    const gate = await admin.post(e('/gates'), { name: 'Gerbang Utama' });
    const guard = await admin.post(e('/gate/guards'), { name: 'Pak Joko', pin: GUARD_PIN });
    ({ kiosk } = await pairedKioskOnShift(server.url, admin, estateId, gate.body.id, guard.body.id));
    // Another estate on the same server with look-alike codes and names.
    const other = await admin.post('/estates', { name: 'Perumahan Lain', timezone: 'Asia/Jakarta' });
    expect(other.status, other.text).toBe(201);
    otherEstate = other.body.id;
    expect((await admin.post(`/estates/${otherEstate}/units`, { code: 'A-12' })).status).toBe(201);
    const u = await admin.post(`/estates/${otherEstate}/units`, { code: 'Z-1' });
    await admin.post(`/estates/${otherEstate}/residents`, {
      name: 'Budi Lain',
      unit_id: u.body.id,
      relation: 'owner',
      directory_opt_in: true,
    });
  });
  afterAll(async () => {
    await server?.close();
    await pgdb?.drop();
  });

  it('finds A-12 however the code is typed, exact match first, then the longer codes', async () => {
    for (const q of ['a12', 'A-12', 'a 12', 'A/12', 'A-012', 'A.12', 'Blok A No. 12']) {
      expect(await codes(admin, q), q).toEqual(['A-12', 'A-12X', 'A-120']);
    }
  });

  it("finds every block's house by its number alone, exact numbers first in natural block order", async () => {
    expect(await codes(admin, '12')).toEqual(['A-12', 'B-12', 'C-12', 'E-12', 'F-12', 'A-12X', 'A-120']);
  });

  it('sorts naturally: A-2 before A-10, blocks in order, ruko found by its code', async () => {
    // F-3 too: its resident's second name, Āyu, starts with "a".
    expect(await codes(admin, 'a')).toEqual(['A-1', 'A-2', 'A-10', 'A-12', 'A-12X', 'A-120', 'F-3']);
    expect(await codes(admin, 'a1')).toEqual(['A-1', 'A-10', 'A-12', 'A-12X', 'A-120']);
    expect(await codes(admin, 'ruko')).toEqual(['RUKO-3']);
  });

  it("finds a unit by any of the first two words of its current resident's name, without case or accents", async () => {
    expect(await codes(admin, 'budi')).toEqual(['D-7']);
    expect(await codes(admin, 'SANT')).toEqual(['D-7']);
    expect(await codes(admin, 'noman')).toEqual(['F-3']);
    expect(await codes(admin, 'ayu les')).toEqual(['F-3']);
    const hit = (await admin.get(e('/units/search?q=budi'))).body.items[0];
    expect(hit.residents).toEqual([expect.objectContaining({ name: 'Budi Santoso', relation: 'owner' })]);
  });

  it('follows a code change and a renamed or moved-out resident', async () => {
    const unit = await admin.post(e('/units'), { code: 'G-5' });
    expect((await admin.patch(e(`/units/${unit.body.id}`), { code: 'G-50' })).status).toBe(200);
    expect(await codes(admin, 'g5')).toEqual(['G-50']);
    expect(await codes(admin, 'g50')).toEqual(['G-50']);
    const r = await admin.post(e('/residents'), { name: 'Wati', unit_id: unit.body.id, relation: 'tenant' });
    expect(await codes(admin, 'wati')).toEqual(['G-50']);
    expect((await admin.patch(e(`/residents/${r.body.id}`), { name: 'Sri Wahyuni' })).status).toBe(200);
    expect(await codes(admin, 'wati')).toEqual([]);
    expect(await codes(admin, 'wahyu')).toEqual(['G-50']);
    expect((await admin.patch(e(`/residents/${r.body.id}`), { unit_id: null })).status).toBe(200);
    expect(await codes(admin, 'wahyu')).toEqual([]);
  });

  it("never shows another estate's units, through either route", async () => {
    expect(await codes(admin, 'z1')).toEqual([]);
    expect(await codes(admin, 'budi')).toEqual(['D-7']);
    const found = await admin.get(`/estates/${otherEstate}/units/search?q=a12`);
    expect(found.body.items.map((u: { id: string }) => u.id)).not.toContain(ids.get('A-12'));
    expect((await gateCodes('budi')).map((u: { code: string }) => u.code)).toEqual(['D-7']);
  });

  it('reads % and _ as plain characters, not as wildcards', async () => {
    expect(await codes(admin, '%')).toEqual([]);
    expect(await codes(admin, '_')).toEqual([]);
    expect(await codes(admin, 'a%2')).toEqual(['A-2']);
    expect(await codes(admin, '%12')).toEqual(['A-12', 'B-12', 'C-12', 'E-12', 'F-12', 'A-12X', 'A-120']);
  });

  it('limits the answer, and refuses an empty, overlong or out-of-range query with 400', async () => {
    expect(await codes(admin, 'a', '&limit=2')).toEqual(['A-1', 'A-2']);
    expect((await admin.get(e(`/units/search?q=${'a'.repeat(101)}`))).status).toBe(400);
    expect((await admin.get(e('/units/search?q=%20'))).status).toBe(400);
    expect((await admin.get(e('/units/search?q=a&limit=51'))).status).toBe(400);
    expect((await admin.get(e('/units/search?q=a&limit=x'))).body.error.code).toBe('VALIDATION_FAILED');
    expect((await kiosk.get(e(`/gate/units?q=${'a'.repeat(101)}`))).status).toBe(400);
  });

  it("gives the guard post code, block and only a directory-listed resident's name, over all units", async () => {
    const budi = await gateCodes('d7');
    expect(budi).toEqual([{ id: ids.get('D-7'), code: 'D-7', block: 'D', resident_name: 'Budi Santoso' }]);
    // Ñoman did not agree to be listed: the guard finds the house by its code, never by her name, and sees no name.
    expect(await gateCodes('noman')).toEqual([]);
    expect(await gateCodes('f3')).toEqual([{ id: ids.get('F-3'), code: 'F-3', block: 'F', resident_name: null }]);
    expect((await gateCodes('f')).map((u: { code: string }) => u.code)).toEqual(['F-3', 'F-12']);
    expect((await gateCodes('ruko')).map((u: { code: string }) => u.code)).toEqual(['RUKO-3']);
  });

  it('says when more units match than the limit, so the person typing knows to type more', async () => {
    const cut = await admin.get(e('/units/search?q=a&limit=2'));
    expect(cut.body).toMatchObject({ more: true, items: [{ code: 'A-1' }, { code: 'A-2' }] });
    const whole = await admin.get(e('/units/search?q=ruko'));
    expect(whole.body).toMatchObject({ more: false, items: [{ code: 'RUKO-3' }] });
  });

  it('lists a unit once however many of its residents match, and still fills the limit with the next units', async () => {
    for (const name of ['Joko Prasetyo', 'Joko Purnomo', 'Joko Pranoto', 'Joko Pamungkas'])
      expect((await admin.post(e('/residents'), { name, unit_id: ids.get('B-12'), relation: 'tenant' })).status).toBe(201);
    expect((await admin.post(e('/residents'), { name: 'Joko Susilo', unit_id: ids.get('E-12'), relation: 'owner' })).status).toBe(201);
    const one = await admin.get(e('/units/search?q=joko&limit=1'));
    expect(one.body).toMatchObject({ more: true, items: [{ code: 'B-12' }] });
    expect(one.body.items[0].residents).toHaveLength(4);
    const two = await admin.get(e('/units/search?q=joko&limit=2'));
    expect(two.body.more).toBe(false);
    expect(two.body.items.map((u: { code: string }) => u.code)).toEqual(['B-12', 'E-12']);
  });

  it("finds a unit by a prefix of any word of its resident's name, and by the words that follow typed together", async () => {
    const res = await admin.post(e('/residents'), {
      name: 'Rina Dewi Kusuma',
      phone: '0811-2345-678',
      unit_id: ids.get('C-12'),
      relation: 'owner',
      directory_opt_in: false,
    });
    expect(res.status, res.text).toBe(201);
    for (const q of ['rina', 'dewi', 'kusuma', 'KUS', 'dewi kus', 'Dewi-Kusuma']) expect(await codes(admin, q), q).toEqual(['C-12']);
    expect(await codes(admin, 'rina kus')).toEqual([]);
  });

  it("finds a unit by its resident's phone in any spelling: from its start in the office, only whole at the guard post", async () => {
    for (const q of ['0811-2345-678', '08112345678', '+62 811 2345 678', '628112345678', '0811 23', '+62811']) {
      expect(await codes(admin, q), q).toEqual(['C-12']);
    }
    // Rina is not in the directory: the guard, told her whole number by a visitor, finds the house but not her name.
    for (const q of ['0811-2345-678', '+628112345678', '62 811 2345 678']) {
      expect(await gateCodes(q), q).toEqual([{ id: ids.get('C-12'), code: 'C-12', block: 'C', resident_name: null }]);
    }
    // A start of a number is no way to page through residents' phones from the gate.
    for (const q of ['0811-2345', '+62811', '0811-2345-67']) expect(await gateCodes(q), q).toEqual([]);
    // Moved out: the number no longer leads to the house.
    const rina = (await admin.get(e('/residents?q=rina'))).body.items[0];
    expect((await admin.patch(e(`/residents/${rina.id}`), { unit_id: null })).status).toBe(200);
    expect(await codes(admin, '0811-2345-678')).toEqual([]);
    expect(await gateCodes('0811-2345-678')).toEqual([]);
  });

  it('forgets a removed unit', async () => {
    const unit = await admin.post(e('/units'), { code: 'H-9' });
    expect(await codes(admin, 'h9')).toEqual(['H-9']);
    expect((await admin.delete(e(`/units/${unit.body.id}`))).status).toBe(204);
    expect(await codes(admin, 'h9')).toEqual([]);
  });

  it("keeps the office search for office roles: a guard's or resident's session gets 403", async () => {
    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    expect((await guard.client.get(e('/units/search?q=a'))).status).toBe(403);
    const resident = await userWithRole(server.url, admin, estateId, 'resident');
    expect((await resident.client.get(e('/units/search?q=a'))).status).toBe(403);
    expect((await resident.client.get(e('/gate/units?q=a'))).status).toBe(403);
  });
});
