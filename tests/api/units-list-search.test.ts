import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

// The office unit list's `?q=` finds units by the unit search's rules (server/units/unit-search.ts), pages them and
// keeps them in natural order. Runs on SQLite and on PostgreSQL (`pgUrl`).
describe.each(['sqlite', 'postgres'] as const)('GET /estates/:id/units?q= on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let admin: ApiClient;
  let estateId: string;
  let otherEstateId: string;
  const base = () => `/estates/${estateId}`;

  const codes = (body: { items: { code: string }[] }) => body.items.map((u) => u.code);
  const search = async (q: string, extra = '', estate = estateId) => {
    const res = await admin.get(`/estates/${estate}/units?q=${encodeURIComponent(q)}${extra}`);
    expect(res.status).toBe(200);
    return res.body as { items: { code: string; residents: { name: string }[] }[]; total: number; limit: number; offset: number };
  };

  async function unitWith(estate: string, code: string, resident?: { name: string; phone?: string }) {
    const unit = await admin.post(`/estates/${estate}/units`, { code });
    expect(unit.status).toBe(201);
    if (resident) {
      const res = await admin.post(`/estates/${estate}/residents`, { ...resident, unit_id: unit.body.id, relation: 'owner' });
      expect(res.status).toBe(201);
      return { unit: unit.body, resident: res.body };
    }
    return { unit: unit.body, resident: null };
  }

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    ({ client: admin, estateId } = await setupEstate(server.url));
    const other = await admin.post('/estates', { name: 'Perumahan Sebelah' });
    otherEstateId = (other.body.estate?.id ?? other.body.id) as string;

    for (const code of ['A-120', 'A-12', 'A-2', 'B-12', 'B-3']) await unitWith(estateId, code);
    await unitWith(estateId, 'C-7', { name: 'Budi Santoso', phone: '0811-2345-678' });
    await unitWith(estateId, 'C-8', { name: 'Siti Rahmawati', phone: '+62 812 9999 0000' });
    const moved = await unitWith(estateId, 'C-9', { name: 'Santi Lubis', phone: '0813-1111-2222' });
    expect((await admin.delete(`${base()}/residents/${moved.resident.id}`)).status).toBe(204);
    for (let n = 1; n <= 25; n++) await unitWith(estateId, `D-${n}`);
    // The same names, phone and codes next door must never show up here.
    await unitWith(otherEstateId, 'A-12', { name: 'Budi Santoso', phone: '0811-2345-678' });
    await unitWith(otherEstateId, 'C-7');
  });
  afterAll(async () => {
    await server?.close();
    await pgdb?.drop();
  });

  it('finds a code however it is typed, in natural order', async () => {
    for (const typed of ['a12', 'A-12', 'a 12', 'A/012', 'Blok A No. 12']) {
      const found = await search(typed);
      expect(codes(found), typed).toEqual(['A-12', 'A-120']);
      expect(found.total, typed).toBe(2);
    }
  });

  it('finds every block by house number', async () => {
    expect(codes(await search('12'))).toEqual(['A-12', 'A-120', 'B-12', 'D-12']);
  });

  it("finds a unit by its current resident's first or second name, not by a substring or a moved-out resident", async () => {
    expect(codes(await search('santoso'))).toEqual(['C-7']);
    expect(codes(await search('Budi San'))).toEqual(['C-7']);
    expect(codes(await search('rahma'))).toEqual(['C-8']);
    expect(codes(await search('anto'))).toEqual([]);
    expect(codes(await search('lubis'))).toEqual([]);
  });

  it('finds a unit by its resident phone typed as 0811…, with or without separators, or as +62', async () => {
    for (const typed of ['0811', '0811-2345', '08112345678', '0811 2345 678', '+62 811-2345', '628112345678'])
      expect(codes(await search(typed)), typed).toEqual(['C-7']);
    expect(codes(await search('0812-9999'))).toEqual(['C-8']);
    expect(codes(await search('0813-1111'))).toEqual([]);
  });

  it("keeps to the estate in the path: another estate's units, names and phones are not found", async () => {
    expect(codes(await search('0811-2345'))).toEqual(['C-7']);
    expect(codes(await search('c7', '', otherEstateId))).toEqual(['C-7']);
    expect((await search('santoso', '', otherEstateId)).items.map((u) => u.code)).toEqual(['A-12']);
    expect(codes(await search('D-1', '', otherEstateId))).toEqual([]);
  });

  it('pages the matches in natural order with their total', async () => {
    const page = await search('d', '&limit=10&offset=10');
    expect(page).toMatchObject({ total: 25, limit: 10, offset: 10 });
    expect(codes(page)).toEqual(Array.from({ length: 10 }, (_, i) => `D-${i + 11}`));
    const filtered = await search('12', '&block=B');
    expect(codes(filtered)).toEqual(['B-12']);
    expect(filtered.total).toBe(1);
  });

  it('finds nothing for text without letters or digits, and treats % and _ as nothing special', async () => {
    for (const typed of ['%', '_', '-', '%12']) {
      const found = await search(typed);
      expect(found.total, typed).toBe(typed === '%12' ? 4 : 0);
    }
  });
});
