// A payment keeps the payer it was recorded with: after a tenant moves out and the next moves in, the old receipt,
// its PDF and its QR check page still name the tenant who paid, and the new tenant's portal shows only what
// belongs to their own occupancy.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: ApiClient;
let estateId: string;
let unitId: string;
let tenantA: ApiClient;
let tenantB: ApiClient;
let residentA: string;
let residentB: string;
let relative: string;
const ids: Record<string, string> = {};
const base = () => `/estates/${estateId}`;
const NAME_A = 'Ahmad Suryadi';
const NAME_B = 'Bunga Lestari';
const NAME_D = 'Dedi Suryadi';
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-payer-'));
  try {
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function pay(name: string, body: Record<string, unknown>) {
  const res = await admin.post(`${base()}/payments`, { unit_id: unitId, method: 'cash', ...body });
  expect(res.status, res.text).toBe(201);
  ids[name] = res.body.id;
  return res.body;
}

async function bill(period: string) {
  expect((await admin.post(`${base()}/billing-runs`, { period, due_date: `${period}-10` })).status).toBe(201);
}

async function receiptOf(paymentId: string) {
  const data = await admin.get(`${base()}/payments/${paymentId}/receipt`);
  expect(data.status).toBe(200);
  return data.body;
}

async function paymentCount(): Promise<number> {
  return Number((await server.db.knex('payments').count({ n: '*' }))[0].n);
}

let pgdb: TestDatabase | undefined;

// The portal's reads are hand-shaped SQL: the same story on both databases.
describe.each([
  { name: 'SQLite', postgres: false },
  { name: 'PostgreSQL', postgres: true },
])('on $name', ({ postgres }) => {
  beforeAll(async () => {
    pgdb = postgres ? await createTestDatabase(inject('pgUrl')) : undefined;
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    ({ client: admin, estateId } = await setupEstate(server.url));
    unitId = (await admin.post(`${base()}/units`, { code: 'C-7', type: 'rumah', occupancy: 'occupied' })).body.id;
    await admin.post(`${base()}/units`, { code: 'C-8', type: 'rumah', occupancy: 'occupied' });
    expect(
      (await admin.post(`${base()}/fee-types`, { code: 'IPL', name: 'IPL', amount: 100000, basis: 'flat', effective_from: '2026-01' }))
        .status,
    ).toBe(201);

    residentA = (await admin.post(`${base()}/residents`, { name: NAME_A, unit_id: unitId, relation: 'tenant', moved_in_on: '2026-01-10' }))
      .body.id;
    tenantA = (await userWithRole(server.url, admin, estateId, 'resident', { resident_id: residentA })).client;
    relative = (await admin.post(`${base()}/residents`, { name: NAME_D })).body.id;
    for (const period of ['2026-02', '2026-03', '2026-04']) await bill(period);

    // Tenant A's time: a cash payment at the office and a transfer proof from the portal.
    await pay('a_cash', { amount: 200000, paid_at: '2026-03-05' });
    const proof = await tenantA.upload(
      `${base()}/portal/transfer-proofs`,
      { amount: '20000', paid_at: '2026-04-06', reference: 'BCA 77' },
      { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
    );
    expect(proof.status, proof.text).toBe(201);
    ids.proof = proof.body.id;
    const verified = await admin.post(`${base()}/transfer-proofs/${ids.proof}/verify`);
    expect(verified.status, verified.text).toBe(200);
    ids.a_transfer = verified.body.payment.id;

    // B is named as the payer a few days before moving in (paying the deposit month in advance).
    residentB = (await admin.post(`${base()}/residents`, { name: NAME_B })).body.id;
    await pay('b_before', { amount: 30000, paid_at: '2026-06-25', payer_resident_id: residentB });

    // A moves out at the end of June; B moves in on 1 July.
    expect((await admin.patch(`${base()}/residents/${residentA}`, { moved_out_on: '2026-06-30' })).status).toBe(200);
    expect(
      (await admin.patch(`${base()}/residents/${residentB}`, { unit_id: unitId, relation: 'tenant', moved_in_on: '2026-07-01' })).status,
    ).toBe(200);
    tenantB = (await userWithRole(server.url, admin, estateId, 'resident', { resident_id: residentB })).client;
    await bill('2026-08');

    // 18:00 UTC on 30 June is 01:00 on 1 July in Jakarta: B's first day, not nobody's.
    await pay('b_night', { amount: 10000, paid_at: '2026-06-30T18:00:00Z' });
    const august = (await admin.get(`${base()}/invoices?unit_id=${unitId}&period=2026-08`)).body.items[0];
    ids.august = august.id;
    await pay('b_august', { amount: 100000, paid_at: '2026-08-03', invoice_ids: [august.id] });
    await pay('relative', { amount: 10000, paid_at: '2026-08-04', payer_resident_id: relative });
  });
  afterAll(async () => {
    await server?.close();
    await pgdb?.drop();
  });

  describe('a payment records who paid', () => {
    it('names the occupant on the payment date, the resident the treasurer names, and the sender of a transfer proof', async () => {
      const rows = await server.db.knex('payments').whereIn('id', Object.values(ids)).select('id', 'payer_name', 'payer_resident_id');
      const byId = new Map(rows.map((r: { id: string }) => [r.id, r]));
      expect(byId.get(ids.a_cash)).toMatchObject({ payer_name: NAME_A, payer_resident_id: residentA });
      expect(byId.get(ids.a_transfer)).toMatchObject({ payer_name: NAME_A, payer_resident_id: residentA });
      expect(byId.get(ids.b_before)).toMatchObject({ payer_name: NAME_B, payer_resident_id: residentB });
      expect(byId.get(ids.b_night)).toMatchObject({ payer_name: NAME_B, payer_resident_id: residentB });
      expect(byId.get(ids.relative)).toMatchObject({ payer_name: NAME_D, payer_resident_id: relative });
      expect((await admin.get(`${base()}/payments/${ids.a_cash}`)).body).toMatchObject({
        payer_name: NAME_A,
        payer_resident_id: residentA,
      });
    });

    it('refuses a payer who is not a resident of this estate, and writes nothing', async () => {
      const before = await paymentCount();
      const unknown = await admin.post(`${base()}/payments`, {
        unit_id: unitId,
        method: 'cash',
        amount: 5000,
        paid_at: '2026-08-05',
        payer_resident_id: '01900000-0000-7000-8000-000000000000',
      });
      expect(unknown.status).toBe(400);
      expect(unknown.body.error).toMatchObject({ code: 'UNKNOWN_RESIDENT', field: 'payer_resident_id' });
      const malformed = await admin.post(`${base()}/payments`, {
        unit_id: unitId,
        method: 'cash',
        amount: 5000,
        paid_at: '2026-08-05',
        payer_resident_id: 'x',
      });
      expect(malformed.status).toBe(400);
      expect(await paymentCount()).toBe(before);
    });
  });

  describe("after A moves out and B moves in, A's receipts still name A", () => {
    it('the receipt data, the PDF and the QR check page name A, not B', async () => {
      for (const payment of [ids.a_cash, ids.a_transfer]) {
        const data = await receiptOf(payment);
        expect(data.payer_name).toBe(NAME_A);
        const pdf = await fetch(`${server.url}/api/v1${base()}/payments/${payment}/receipt.pdf`, { headers: { cookie: admin.cookie! } });
        expect(pdf.status).toBe(200);
        const text = pdfText(Buffer.from(await pdf.arrayBuffer()));
        expect(text).toContain(NAME_A);
        expect(text).not.toContain(NAME_B);
        const json = await (await fetch(data.verify_url)).json();
        expect(json.payer_name).toBe(NAME_A);
        const page = await (await fetch(data.verify_url, { headers: { accept: 'text/html' } })).text();
        expect(page).toContain(NAME_A);
        expect(page).not.toContain(NAME_B);
      }
      expect((await receiptOf(ids.b_august)).payer_name).toBe(NAME_B);
    });

    it('a payment recorded before payers were kept names whoever lived there on its date', async () => {
      await server.db.knex('payments').where({ id: ids.a_cash }).update({ payer_name: null, payer_resident_id: null });
      try {
        const data = await receiptOf(ids.a_cash);
        expect(data.payer_name).toBe(NAME_A);
        expect((await (await fetch(data.verify_url)).json()).payer_name).toBe(NAME_A);
      } finally {
        await server.db.knex('payments').where({ id: ids.a_cash }).update({ payer_name: NAME_A, payer_resident_id: residentA });
      }
    });
  });

  describe('the portal shows an occupant their own occupancy', () => {
    it("B sees payments from 1 July on and the one B paid before moving in, not A's", async () => {
      const res = await tenantB.get(`${base()}/portal/payments`);
      expect(res.status).toBe(200);
      expect(res.body.items.map((p: { id: string }) => p.id)).toEqual([ids.relative, ids.b_august, ids.b_night, ids.b_before]);
      expect(res.body.total).toBe(4);
      const august = res.body.items[1];
      expect(august).toMatchObject({ payer_name: NAME_B, unit_code: 'C-7', status: 'recorded', credit: 0, reversal: null, proof: null });
      expect(august.allocations).toEqual([
        { invoice_id: ids.august, invoice_number: expect.any(String), period: '2026-08', amount: 100000 },
      ]);
      const paged = await tenantB.get(`${base()}/portal/payments?limit=2&offset=2`);
      expect(paged.body.items.map((p: { id: string }) => p.id)).toEqual([ids.b_night, ids.b_before]);
      expect(paged.body.total).toBe(4);
      // A page past the end has no row to carry the count: the count still comes.
      const beyond = await tenantB.get(`${base()}/portal/payments?limit=2&offset=10`);
      expect(beyond.body).toMatchObject({ items: [], total: 4, limit: 2, offset: 10 });
    });

    it("B sees what the unit still owes from before, but not A's paid months", async () => {
      const invoices = await tenantB.get(`${base()}/portal/invoices`);
      expect(invoices.status).toBe(200);
      expect(
        invoices.body.items.map((i: { period: string; status: string; outstanding: number }) => [i.period, i.status, i.outstanding]),
      ).toEqual([
        ['2026-08', 'paid', 0],
        ['2026-04', 'partial', 30000],
      ]);
      expect(invoices.body.total).toBe(2);
      const second = await tenantB.get(`${base()}/portal/invoices?limit=1&offset=1`);
      expect(second.body.items.map((i: { period: string }) => i.period)).toEqual(['2026-04']);
      expect(second.body.total).toBe(2);
      const beyond = await tenantB.get(`${base()}/portal/invoices?limit=1&offset=5`);
      expect(beyond.body).toMatchObject({ items: [], total: 2, limit: 1, offset: 5 });
      const balance = await tenantB.get(`${base()}/portal/balance`);
      expect(balance.body).toEqual({ unit_id: unitId, outstanding: 30000, credit: 0 });
    });

    it("B can download B's receipts but not A's, and does not see A's transfer proofs", async () => {
      const own = await fetch(`${server.url}/api/v1${base()}/portal/payments/${ids.b_august}/receipt.pdf`, {
        headers: { cookie: tenantB.cookie! },
      });
      expect(own.status).toBe(200);
      expect(pdfText(Buffer.from(await own.arrayBuffer()))).toContain(NAME_B);
      for (const payment of [ids.a_cash, ids.a_transfer]) {
        const res = await tenantB.get(`${base()}/portal/payments/${payment}/receipt.pdf`);
        expect(res.status).toBe(404);
      }
      const proofs = await tenantB.get(`${base()}/portal/transfer-proofs`);
      expect(proofs.status).toBe(200);
      expect(proofs.body.items).toEqual([]);
    });

    it('A, moved out, no longer sees the unit: its balance, invoices, payments and receipts answer 404', async () => {
      for (const page of ['balance', 'invoices', 'payments']) {
        const res = await tenantA.get(`${base()}/portal/${page}`);
        expect(res.status).toBe(404);
        const asked = await tenantA.get(`${base()}/portal/${page}?unit_id=${unitId}`);
        expect(asked.status).toBe(404);
      }
      expect((await tenantA.get(`${base()}/portal/payments/${ids.a_cash}/receipt.pdf`)).status).toBe(404);
      expect((await tenantA.get(`${base()}/portal/transfer-proofs`)).body.items).toEqual([]);
    });
  });
});
