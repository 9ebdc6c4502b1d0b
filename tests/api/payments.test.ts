import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let estateId: string;
let admin: ApiClient;
let unitId: string;
let otherUnit: string;
const base = () => `/estates/${estateId}`;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

async function count(table: string): Promise<number> {
  return Number((await server.db.knex(table).count({ n: '*' }))[0].n);
}
async function moneyRows() {
  return {
    payments: await count('payments'),
    allocations: await count('payment_allocations'),
    credit: await count('credit_movements'),
    reversals: await count('payment_reversals'),
    cash: await count('cashbook_entries'),
    refunds: await count('credit_refunds'),
    submissions: await count('payment_submissions'),
  };
}
const balance = async (id = unitId) => (await admin.get(`${base()}/units/${id}/balance`)).body;
const pay = (body: Record<string, unknown>, headers?: Record<string, string>) =>
  admin.post(`${base()}/payments`, { unit_id: unitId, method: 'cash', paid_at: '2026-11-05T03:00:00Z', ...body }, headers);

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  unitId = (await admin.post(`${base()}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' })).body.id;
  otherUnit = (await admin.post(`${base()}/units`, { code: 'A-13', type: 'rumah', occupancy: 'occupied' })).body.id;
  await admin.post(`${base()}/fee-types`, { code: 'IPL', name: 'IPL', amount: 100000, basis: 'flat', effective_from: '2026-01' });
  for (const period of ['2026-09', '2026-10']) {
    const run = await admin.post(`${base()}/billing-runs`, { period, due_date: `${period}-10` });
    expect(run.status).toBe(201);
  }
});
afterAll(async () => {
  await server.close();
});

describe('recording payments', () => {
  it('a partial payment pays the oldest invoice first and posts to the cash book', async () => {
    const cashBefore = await count('cashbook_entries');
    const res = await pay({ amount: 60000, reference: 'kas-01' });
    expect(res.status).toBe(201);
    expect(res.body.payment_number).toMatch(/^PAY\d{8}\d{3}$/);
    expect(res.body).toMatchObject({ amount: 60000, status: 'recorded', credit: 0, unit_code: 'A-12' });
    expect(res.body.allocations).toEqual([expect.objectContaining({ period: '2026-09', amount: 60000 })]);
    const sept = (await admin.get(`${base()}/invoices?period=2026-09&unit_id=${unitId}`)).body.items[0];
    expect(sept).toMatchObject({ status: 'partial', paid: 60000, outstanding: 40000 });
    expect(await balance()).toMatchObject({ outstanding: 140000, credit: 0 });
    expect(await count('cashbook_entries')).toBe(cashBefore + 1);
  });

  it('pays only the invoices the treasurer picks', async () => {
    const oct = (await admin.get(`${base()}/invoices?period=2026-10&unit_id=${unitId}`)).body.items[0];
    const res = await pay({ amount: 100000, invoice_ids: [oct.id] });
    expect(res.status).toBe(201);
    expect(res.body.allocations).toEqual([expect.objectContaining({ invoice_id: oct.id, amount: 100000 })]);
    expect((await admin.get(`${base()}/invoices/${oct.id}`)).body.status).toBe('paid');
    const again = await pay({ amount: 1000, invoice_ids: [oct.id] });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('INVOICE_NOT_OPEN');
    const foreign = (await admin.get(`${base()}/invoices?unit_id=${otherUnit}`)).body.items[0];
    expect((await pay({ amount: 1000, invoice_ids: [foreign.id] })).status).toBe(409);
  });

  it('money beyond all debt becomes credit, which the next billing run consumes', async () => {
    const res = await pay({ amount: 290000, method: 'bank_transfer', reference: 'TRF-778' });
    expect(res.status).toBe(201);
    expect(res.body.credit).toBe(250000);
    expect(await balance()).toMatchObject({ outstanding: 0, credit: 250000 });
    const nov = await admin.post(`${base()}/billing-runs`, { period: '2026-11', due_date: '2026-11-10' });
    expect(nov.body.credit_applied).toBe(100000);
    const inv = (await admin.get(`${base()}/invoices?period=2026-11&unit_id=${unitId}`)).body.items[0];
    expect(inv).toMatchObject({ status: 'paid', outstanding: 0 });
    expect(await balance()).toMatchObject({ outstanding: 0, credit: 150000 });
  });

  it('an idempotent retry records one payment; the same key with another body is refused', async () => {
    const before = await moneyRows();
    const key = { 'Idempotency-Key': 'pay-otherunit-1' };
    const first = await pay({ unit_id: otherUnit, amount: 50000 }, key);
    const second = await pay({ unit_id: otherUnit, amount: 50000 }, key);
    expect(first.status).toBe(201);
    expect(second.status).toBe(201);
    expect(second.body).toEqual(first.body);
    expect(second.headers.get('idempotent-replayed')).toBe('true');
    const after = await moneyRows();
    expect(after.payments).toBe(before.payments + 1);
    const different = await pay({ unit_id: otherUnit, amount: 70000 }, key);
    expect(different.status).toBe(422);
    expect(different.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
    expect(await moneyRows()).toEqual(after);
  });

  it('reversal undoes allocations and credit, claws back spent credit, and posts a reversing cash entry', async () => {
    const payments = (await admin.get(`${base()}/payments?unit_id=${unitId}`)).body.items;
    const big = payments.find((p: { amount: number }) => p.amount === 290000);
    const cashBefore = await count('cashbook_entries');
    const noReason = await admin.post(`${base()}/payments/${big.id}/reverse`, {});
    expect(noReason.status).toBe(400);
    const res = await admin.post(`${base()}/payments/${big.id}/reverse`, { reason: 'Transfer ditolak bank' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ status: 'reversed', reversal: { reason: 'Transfer ditolak bank' } });
    // 290k: 40k had paid September, 100k of its credit paid November; both are owed again, credit is gone.
    expect(await balance()).toMatchObject({ outstanding: 140000, credit: 0 });
    const nov = (await admin.get(`${base()}/invoices?period=2026-11&unit_id=${unitId}`)).body.items[0];
    expect(nov.status).toBe('unpaid');
    expect(await count('cashbook_entries')).toBe(cashBefore + 1);
    const twice = await admin.post(`${base()}/payments/${big.id}/reverse`, { reason: 'lagi' });
    expect(twice.status).toBe(409);
    expect(twice.body.error.code).toBe('ALREADY_REVERSED');
  });

  it('refunds credit as a cash-out, never more than the credit', async () => {
    await pay({ amount: 200000 }); // 140k owed → 60k credit
    expect(await balance()).toMatchObject({ outstanding: 0, credit: 60000 });
    const tooMuch = await admin.post(`${base()}/units/${unitId}/credit-refunds`, { amount: 60001, method: 'cash' });
    expect(tooMuch.status).toBe(409);
    const cashBefore = await count('cashbook_entries');
    const res = await admin.post(`${base()}/units/${unitId}/credit-refunds`, { amount: 60000, method: 'cash', reason: 'Pindah rumah' });
    expect(res.status).toBe(201);
    expect(res.body.balance).toMatchObject({ credit: 0 });
    expect(await count('cashbook_entries')).toBe(cashBefore + 1);
    const entry = await server.db.knex('cashbook_entries').orderBy('seq', 'desc').first();
    expect(entry).toMatchObject({ direction: 'out', source_type: 'credit_refund' });
    expect(Number(entry.amount)).toBe(60000);
  });

  it('attaches a proof image, refusing files that are not images or PDFs', async () => {
    const p = (await pay({ amount: 1000 })).body;
    const bad = await admin.upload(
      `${base()}/payments/${p.id}/proof`,
      {},
      { file: { filename: 'x.png', content: Buffer.from('not an image'), type: 'image/png' } },
    );
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('INVALID_PROOF');
    const ok = await admin.upload(
      `${base()}/payments/${p.id}/proof`,
      {},
      { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
    );
    expect(ok.status).toBe(201);
    const back = await admin.get(`${base()}/payments/${p.id}/proof`);
    expect(back.status).toBe(200);
    expect(back.headers.get('content-type')).toBe('image/png');
  });

  it('rejects bad input on every payment write with 4xx and writes nothing', async () => {
    const before = await moneyRows();
    const payment = (await admin.get(`${base()}/payments?limit=1`)).body.items[0];
    const bad: Array<[string, unknown]> = [
      ['/payments', { unit_id: unitId, amount: 1.5, method: 'cash', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: unitId, amount: 0, method: 'cash', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: unitId, amount: -5, method: 'cash', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: unitId, amount: '1000', method: 'cash', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: unitId, amount: 1000, method: 'gold', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: unitId, amount: 1000, method: 'cash', paid_at: 'yesterday' }],
      ['/payments', { unit_id: unitId, amount: 1000, method: 'cash', paid_at: '2026-02-30' }],
      ['/payments', { unit_id: unitId, amount: 1000, method: 'cash', paid_at: '2099-01-01' }],
      ['/payments', { unit_id: 'not-a-uuid', amount: 1000, method: 'cash', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: '01900000-0000-7000-8000-000000000000', amount: 1000, method: 'cash', paid_at: '2026-11-05' }],
      [
        '/payments',
        { unit_id: unitId, amount: 1000, method: 'cash', paid_at: '2026-11-05', invoice_ids: ['01900000-0000-7000-8000-000000000000'] },
      ],
      ['/payments', { unit_id: unitId, amount: 1e15, method: 'cash', paid_at: '2026-11-05' }],
      ['/payments', { unit_id: unitId, amount: 1000, method: 'cash', paid_at: '2026-11-05', surprise: 1 }],
      ['/payments', null],
      [`/payments/${payment.id}/reverse`, { reason: '' }],
      [`/payments/01900000-0000-7000-8000-000000000000/reverse`, { reason: 'x' }],
      [`/units/${unitId}/credit-refunds`, { amount: 0, method: 'cash' }],
      [`/units/${unitId}/credit-refunds`, { amount: 100, method: 'barter' }],
      [`/units/${unitId}/credit-refunds`, { amount: 900_000, method: 'cash' }],
    ];
    for (const [path, body] of bad) {
      const res = await admin.post(`${base()}${path}`, body);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeGreaterThanOrEqual(400);
      expect(res.status, `${path} ${JSON.stringify(body)}`).toBeLessThan(500);
      expect(typeof res.body.error.code).toBe('string');
    }
    expect((await admin.request('POST', `${base()}/payments`, '{"amount": 1')).status).toBe(400);
    expect((await admin.upload(`${base()}/payments/${payment.id}/proof`, {}, {})).status).toBe(400);
    expect(await moneyRows()).toEqual(before);
  });
});

describe('resident portal', () => {
  let resident: Awaited<ReturnType<typeof userWithRole>>;

  it('shows a resident only their own unit', async () => {
    const r = await admin.post(`${base()}/residents`, { name: 'Pak Budi', unit_id: otherUnit, relation: 'owner' });
    expect(r.status).toBe(201);
    resident = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: r.body.id });
    const inv = await resident.client.get(`${base()}/portal/invoices`);
    expect(inv.status).toBe(200);
    expect(new Set(inv.body.items.map((i: { unit_id: string }) => i.unit_id))).toEqual(new Set([otherUnit]));
    const bal = await resident.client.get(`${base()}/portal/balance`);
    expect(bal.body).toMatchObject({ unit_id: otherUnit });
    expect(bal.body).toEqual({ unit_id: otherUnit, ...(await balance(otherUnit)) });
    expect(
      (await resident.client.get(`${base()}/portal/payments`)).body.items.every((p: { unit_id: string }) => p.unit_id === otherUnit),
    ).toBe(true);
    expect((await resident.client.get(`${base()}/portal/invoices?unit_id=${unitId}`)).status).toBe(404);
  });

  it('cannot reach treasurer routes', async () => {
    expect((await resident.client.get(`${base()}/payments`)).status).toBe(403);
    expect(
      (await resident.client.post(`${base()}/payments`, { unit_id: otherUnit, amount: 1, method: 'cash', paid_at: '2026-11-05' })).status,
    ).toBe(403);
    expect((await resident.client.get(`${base()}/units/${otherUnit}/balance`)).status).toBe(403);
    expect((await resident.client.get(`${base()}/transfer-proofs`)).status).toBe(403);
    expect((await admin.get(`${base()}/portal/invoices`)).status).toBe(403);
  });

  it('a transfer proof waits as pending until verified (→ payment) or rejected with a reason', async () => {
    const before = await moneyRows();
    const noFile = await resident.client.upload(`${base()}/portal/transfer-proofs`, { amount: '100000', paid_at: '2026-11-06' }, {});
    expect(noFile.status).toBe(400);
    const badAmount = await resident.client.upload(
      `${base()}/portal/transfer-proofs`,
      { amount: '1.5', paid_at: '2026-11-06' },
      { file: { filename: 'b.png', content: PNG } },
    );
    expect(badAmount.status).toBe(400);
    expect(await moneyRows()).toEqual(before);

    const sent = await resident.client.upload(
      `${base()}/portal/transfer-proofs`,
      { amount: '100000', paid_at: '2026-11-06', reference: 'BCA 123' },
      { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
    );
    expect(sent.status).toBe(201);
    expect(sent.body).toMatchObject({ status: 'pending', amount: 100000, unit_id: otherUnit, proof: { mime: 'image/png' } });
    expect((await moneyRows()).payments).toBe(before.payments);
    const pending = await admin.get(`${base()}/transfer-proofs?status=pending`);
    expect(pending.body.items.map((s: { id: string }) => s.id)).toContain(sent.body.id);
    const verified = await admin.post(`${base()}/transfer-proofs/${sent.body.id}/verify`, {});
    expect(verified.status).toBe(200);
    expect(verified.body.submission.status).toBe('verified');
    expect(verified.body.payment).toMatchObject({ amount: 100000, source: 'portal', unit_id: otherUnit });
    expect((await admin.post(`${base()}/transfer-proofs/${sent.body.id}/reject`, { reason: 'x' })).status).toBe(409);

    const second = await resident.client.upload(
      `${base()}/portal/transfer-proofs`,
      { amount: '5000', paid_at: '2026-11-06' },
      { file: { filename: 'b.pdf', content: Buffer.from('%PDF-1.4\n%%EOF') } },
    );
    expect(second.status).toBe(201);
    expect((await admin.post(`${base()}/transfer-proofs/${second.body.id}/reject`, {})).status).toBe(400);
    const rejected = await admin.post(`${base()}/transfer-proofs/${second.body.id}/reject`, { reason: 'Nominal tidak sesuai mutasi' });
    expect(rejected.body).toMatchObject({ status: 'rejected', review_reason: 'Nominal tidak sesuai mutasi' });
    const mine = await resident.client.get(`${base()}/portal/transfer-proofs`);
    expect(mine.body.items.map((s: { status: string }) => s.status).sort()).toEqual(['rejected', 'verified']);
  });
});

describe('isolation', () => {
  it("another estate's ids answer 404 on every payment route", async () => {
    const other = await admin.post('/estates', { name: 'Perumahan Sebelah' });
    const o = `/estates/${other.body.id ?? other.body.estate?.id}`;
    const payment = (await admin.get(`${base()}/payments?limit=1`)).body.items[0];
    const sub = (await admin.get(`${base()}/transfer-proofs`)).body.items[0];
    expect((await admin.get(`${o}/payments/${payment.id}`)).status).toBe(404);
    expect((await admin.post(`${o}/payments/${payment.id}/reverse`, { reason: 'x' })).status).toBe(404);
    expect((await admin.get(`${o}/payments/${payment.id}/proof`)).status).toBe(404);
    expect((await admin.get(`${o}/units/${unitId}/balance`)).status).toBe(404);
    expect((await admin.get(`${o}/payments?unit_id=${unitId}`)).status).toBe(404);
    expect((await admin.post(`${o}/units/${unitId}/credit-refunds`, { amount: 1, method: 'cash' })).status).toBe(404);
    expect((await admin.post(`${o}/payments`, { unit_id: unitId, amount: 1000, method: 'cash', paid_at: '2026-11-05' })).status).toBe(404);
    expect((await admin.post(`${o}/transfer-proofs/${sub.id}/verify`, {})).status).toBe(404);
    expect((await admin.post(`${o}/transfer-proofs/${sub.id}/reject`, { reason: 'x' })).status).toBe(404);
  });
});
