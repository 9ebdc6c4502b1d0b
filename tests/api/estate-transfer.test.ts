import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { repackArchive } from '../support/estate-archive.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { type ApiClient, apiClient, setupEstate, startTestServer, type TestServer, userWithRole } from '../support/server.ts';

/**
 * One estate moved between installations: SQLite office → hosted PostgreSQL (`pgUrl`) → a new SQLite office, with
 * its books, files and numbering intact, and every way an archive can be refused.
 */

const PNG = Buffer.from('89504e470d0a1a0a0000000d4948445200000001000000010806000000', 'hex');
const PDF = Buffer.from('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n', 'latin1');

let pgdb: TestDatabase;
const servers: TestServer[] = [];
const dirs: string[] = [];

async function sqliteServer(): Promise<TestServer> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-move-'));
  dirs.push(dataDir);
  const server = await startTestServer({ dataDir });
  servers.push(server);
  return server;
}

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
});
afterAll(async () => {
  for (const s of servers) await s.close();
  await pgdb?.drop();
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

async function ok<T = any>(p: Promise<{ status: number; body: T; text: string }>, statuses = [200, 201]): Promise<T> {
  const res = await p;
  if (!statuses.includes(res.status)) throw new Error(`${res.status} ${res.text}`);
  return res.body;
}

async function download(client: ApiClient, url: string): Promise<{ status: number; bytes: Buffer; type: string | null }> {
  const res = await fetch(`${client.baseUrl}/api/v1${url}`, { headers: { cookie: client.cookie ?? '' } });
  return { status: res.status, bytes: Buffer.from(await res.arrayBuffer()), type: res.headers.get('content-type') };
}

async function postArchive(client: ApiClient, archive: Buffer) {
  const res = await fetch(`${client.baseUrl}/api/v1/platform/estates/import`, {
    method: 'POST',
    headers: { cookie: client.cookie ?? '', 'x-csrf-token': client.csrf ?? '', 'content-type': 'application/gzip' },
    body: new Uint8Array(archive),
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

/** What the office sees of the books: every number that must survive the move. */
async function books(client: ApiClient, estateId: string, unitIds: string[]) {
  const e = (p: string) => `/estates/${estateId}${p}`;
  const strip = (items: any[]) =>
    items.map(({ id, number, payment_number, total, status, outstanding, amount, unit_id, paid_at, period }) => ({
      id,
      number: number ?? payment_number,
      total,
      status,
      outstanding,
      amount,
      unit_id,
      paid_at,
      period,
    }));
  return {
    balances: await Promise.all(unitIds.map(async (u) => ok(client.get(e(`/units/${u}/balance`))))),
    invoices: strip((await ok(client.get(e('/invoices?limit=100')))).items),
    payments: strip((await ok(client.get(e('/payments?limit=100')))).items),
    accounts: (await ok(client.get(e('/cashbook/accounts')))).items.map((a: any) => ({ id: a.id, balance: a.balance })),
    verify: await ok(client.get(e('/cashbook/verify'))),
  };
}

describe('moving an estate between installations', () => {
  let office: TestServer;
  let cloud: TestServer;
  let admin: ApiClient;
  let platformAdmin: ApiClient;
  let estateId: string;
  let unitA: string;
  let unitB: string;
  let treasurer: Awaited<ReturnType<typeof userWithRole>>;
  let paid: any;
  let attachment: any;
  let news: any;
  let newsFile: any;
  let kioskToken: string;
  let before: Awaited<ReturnType<typeof books>>;
  let archive: Buffer;
  const e = (p: string) => `/estates/${estateId}${p}`;

  beforeAll(async () => {
    office = await sqliteServer();
    cloud = await startTestServer({ databaseUrl: pgdb.url });
    servers.push(cloud);
    ({ client: admin, estateId } = await setupEstate(office.url));
    ({ client: platformAdmin } = await setupEstate(cloud.url, 'Perumahan Lain di Cloud'));
  });

  it('the office exports its books, files and accounts to its administrators only', async () => {
    // Units, invoices, payments with a receipt and a proof, the cash book with an attachment, an announcement with a
    // file, a paired kiosk.
    unitA = (await ok(admin.post(e('/units'), { code: 'A-1', type: 'rumah', occupancy: 'occupied' }))).id;
    unitB = (await ok(admin.post(e('/units'), { code: 'A-2', type: 'rumah', occupancy: 'occupied' }))).id;
    treasurer = await userWithRole(office.url, admin, estateId, 'treasurer');
    await ok(admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 150_000, basis: 'flat', effective_from: '2026-01' }));
    await ok(admin.post(e('/billing-runs'), { period: '2026-10', due_date: '2026-10-10' }));
    await ok(
      admin.post(e('/charges'), { name: 'Iuran 17 Agustus', amount: 25_000, period: '2026-08', due_date: '2026-08-17', unit_ids: [unitB] }),
    );
    paid = await ok(admin.post(e('/payments'), { unit_id: unitA, amount: 200_000, method: 'cash', paid_at: '2026-10-05T03:00:00Z' }));
    await ok(admin.upload(e(`/payments/${paid.id}/proof`), {}, { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } }));
    const second = await ok(
      admin.post(e('/payments'), { unit_id: unitB, amount: 100_000, method: 'bank_transfer', paid_at: '2026-10-06T03:00:00Z' }),
    );
    await ok(admin.post(e(`/payments/${second.id}/receipt/print`), { target: 'pdf' }));
    const cash = (
      await ok(admin.post(e('/cashbook/accounts'), { name: 'Kas', kind: 'cash', opening_balance: 1_000_000, opening_date: '2026-09-30' }))
    ).id;
    const spend = await ok(
      admin.post(e('/cashbook/entries'), {
        account_id: cash,
        direction: 'out',
        amount: 300_000,
        category: 'electricity',
        entry_date: '2026-10-03',
        description: 'Listrik',
      }),
    );
    attachment = await ok(
      admin.upload(
        e(`/cashbook/entries/${spend.id}/attachments`),
        {},
        { file: { filename: 'nota.pdf', content: PDF, type: 'application/pdf' } },
      ),
    );
    news = await ok(admin.post(e('/announcements'), { title: 'Kerja bakti', body_html: '<p>Minggu pagi</p>' }));
    newsFile = await ok(
      admin.upload(e(`/announcements/${news.id}/attachments`), {}, { file: { filename: 'denah.png', content: PNG, type: 'image/png' } }),
    );
    const device = await ok(admin.post(e('/devices'), { name: 'Kios', kind: 'kiosk' }));
    kioskToken = (await ok(apiClient(office.url).post(e('/devices/pair'), { pairing_code: device.pairing_code }))).token;
    before = await books(admin, estateId, [unitA, unitB]);
    expect(before.verify).toMatchObject({ ok: true });
    expect(before.invoices.length).toBeGreaterThan(2);

    // Not its treasurer; and for an administrator of another estate, as everywhere, the estate does not exist.
    expect((await download(treasurer.client, e('/export'))).status).toBe(403);
    const other = await ok(admin.post('/estates', { name: 'Perumahan Sebelah' }));
    const otherAdmin = await userWithRole(office.url, admin, other.id, 'estate_admin');
    expect((await download(otherAdmin.client, e('/export'))).status).toBe(404);
    const exported = await download(admin, e('/export'));
    expect(exported.status).toBe(200);
    expect(exported.type).toContain('application/gzip');
    archive = exported.bytes;
  });

  it('an archive with a changed byte, from a newer schema or not an archive at all writes nothing', async () => {
    const tampered = await repackArchive(archive, (entries) => {
      const name = [...entries.keys()].find((n) => n.startsWith('files/payment_proofs/'))!;
      const bytes = Buffer.from(entries.get(name)!);
      bytes[bytes.length - 1] ^= 0xff;
      entries.set(name, bytes);
    });
    const tamperedAnswer = await postArchive(platformAdmin, tampered);
    expect(tamperedAnswer.status).toBe(422);
    expect(tamperedAnswer.body.error.code).toBe('ARCHIVE_TAMPERED');
    const editedRows = await repackArchive(archive, (entries) => {
      entries.set('tables/payments.jsonl', Buffer.from(entries.get('tables/payments.jsonl')!.toString().replace('200000', '900000')));
    });
    expect((await postArchive(platformAdmin, editedRows)).body.error.code).toBe('ARCHIVE_TAMPERED');
    const newer = await repackArchive(archive, (entries) => {
      const manifest = JSON.parse(entries.get('manifest.json')!.toString());
      entries.set('manifest.json', Buffer.from(JSON.stringify({ ...manifest, schema_version: '29991231000000_future' })));
    });
    const newerAnswer = await postArchive(platformAdmin, newer);
    expect(newerAnswer.status).toBe(422);
    expect(newerAnswer.body.error.code).toBe('ARCHIVE_SCHEMA_NEWER');
    expect((await postArchive(platformAdmin, Buffer.from('not an archive'))).body.error.code).toBe('ARCHIVE_INVALID');
    expect((await platformAdmin.post('/platform/estates/import', { estate: 'x' })).body.error.code).toBe('ARCHIVE_CONTENT_TYPE');
    expect(await cloud.db.knex('estates').where({ id: estateId }).first()).toBeUndefined();
    expect(await cloud.db.knex('units').where({ estate_id: estateId }).first()).toBeUndefined();
    // Only a platform administrator imports.
    const cloudEstate = (await ok(platformAdmin.get('/platform/estates'))).items[0].id;
    const cloudEstateAdmin = await userWithRole(cloud.url, platformAdmin, cloudEstate, 'estate_admin');
    expect((await postArchive(cloudEstateAdmin.client, archive)).status).toBe(403);
  });

  it('two imports at once into PostgreSQL make one estate with the same books and files', async () => {
    const both = await Promise.all([postArchive(platformAdmin, archive), postArchive(platformAdmin, archive)]);
    expect(both.map((r) => r.status).sort()).toEqual([201, 409]);
    expect(both.find((r) => r.status === 409)!.body.error.code).toBe('ESTATE_EXISTS');
    const imported = both.find((r) => r.status === 201)!.body;
    expect(imported).toMatchObject({ estate_id: estateId, files: 3 });
    // The office administrator's e-mail is the cloud administrator's account already; the treasurer is new here.
    expect(imported.accounts).toMatchObject({ matched_by_email: 1, created_invited: 1 });
    expect(await cloud.db.knex('estates').where({ id: estateId }).count({ n: '*' })).toEqual([{ n: 1 }]);

    expect(await books(platformAdmin, estateId, [unitA, unitB])).toEqual(before);
    expect((await download(platformAdmin, e(`/payments/${paid.id}/proof`))).bytes.equals(PNG)).toBe(true);
    expect((await download(platformAdmin, e(`/cashbook/attachments/${attachment.id}`))).bytes.equals(PDF)).toBe(true);
    expect((await download(platformAdmin, e(`/announcements/${news.id}/attachments/${newsFile.id}`))).bytes.equals(PNG)).toBe(true);
  });

  it('on the new installation accounts are invited, kiosks pair again and the numbering goes on', async () => {
    const treasurerHere = await cloud.db.knex('users').where({ id: treasurer.userId }).first();
    expect(treasurerHere).toMatchObject({ status: 'invited', password_hash: null, is_platform_admin: false });
    expect((await apiClient(cloud.url).withBearer(kioskToken).get(e('/units'))).status).toBe(401);
    expect(await cloud.db.knex('api_tokens').where({ estate_id: estateId }).first()).toBeUndefined();
    expect((await cloud.db.knex('gate_devices').where({ estate_id: estateId }).first()).pairing_code_hash).toBeNull();

    const next = await ok(
      platformAdmin.post(e('/payments'), { unit_id: unitA, amount: 10_000, method: 'cash', paid_at: new Date().toISOString() }),
    );
    const numbers = (await ok(platformAdmin.get(e('/payments?limit=100')))).items.map((p: any) => p.payment_number);
    expect(numbers).toHaveLength(3);
    expect(new Set(numbers).size).toBe(3);
    // The number the office itself would have minted next.
    const officeNext = await ok(
      admin.post(e('/payments'), { unit_id: unitA, amount: 10_000, method: 'cash', paid_at: new Date().toISOString() }),
    );
    expect(next.payment_number).toBe(officeNext.payment_number);
  });

  it('and back from PostgreSQL to a new office on SQLite', async () => {
    const back = await download(platformAdmin, e('/export'));
    expect(back.status).toBe(200);
    const newOffice = await sqliteServer();
    const { client: newAdmin } = await setupEstate(newOffice.url, 'Kantor Baru');
    const again = await postArchive(newAdmin, back.bytes);
    expect(again.status, JSON.stringify(again.body)).toBe(201);
    const onNewOffice = await books(newAdmin, estateId, [unitA, unitB]);
    expect(onNewOffice).toEqual(await books(platformAdmin, estateId, [unitA, unitB]));
    expect(onNewOffice.verify).toMatchObject({ ok: true });
    expect((await download(newAdmin, e(`/cashbook/attachments/${attachment.id}`))).bytes.equals(PDF)).toBe(true);
    expect((await postArchive(newAdmin, back.bytes)).body.error.code).toBe('ESTATE_EXISTS');
  });
});
