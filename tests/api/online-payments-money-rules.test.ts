import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { WEBHOOK_BODY_MAX_BYTES } from '../../server/http/webhook-body.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * The money rules of online payments beyond the happy path, on SQLite and PostgreSQL against the fake Xendit: the
 * webhook kept byte for byte, a paid amount that differs from the charge, refunds from the office.
 */
const SECRET_KEY = 'xnd_development_klustera_fake_key';
const CALLBACK_TOKEN = 'callback-token-of-griya-asri-0123456789';

async function openServer(name: 'sqlite' | 'postgres'): Promise<{ server: TestServer; dispose(): Promise<void> }> {
  if (name === 'sqlite') {
    const server = await startTestServer({ backgroundJobs: false });
    return { server, dispose: () => server.close() };
  }
  const database: TestDatabase = await createTestDatabase(inject('pgUrl'));
  const server = await startTestServer({ databaseUrl: database.url, backgroundJobs: false });
  return {
    server,
    async dispose() {
      await server.close();
      await database.drop();
    },
  };
}

describe.each(['sqlite', 'postgres'] as const)('online payment money rules on %s', (backendName) => {
  let server: TestServer;
  let dispose: () => Promise<void>;
  let fake: FakeXendit;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let staff: ApiClient;
  let estateId: string;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const webhookUrl = () => `${server.url}/api/v1/webhooks/xendit`;
  const runJobs = () => server.jobs.runDue();
  const paymentsOfUnit = (unitId: string) => knex()('payments').where({ estate_id: estateId, unit_id: unitId });
  const chargeRow = (id: string) => knex()('online_charges').where({ id }).first();

  async function residentWithInvoice(amount: number) {
    const code = `M-${++unitNo}`;
    const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const resident = (await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id })).body;
    const { client } = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: resident.id });
    const charged = await admin.post(e('/charges'), {
      name: 'Iuran Keamanan',
      amount,
      period: '2026-11',
      due_date: '2026-11-20',
      unit_ids: [unit.id],
    });
    expect(charged.status, charged.text).toBe(201);
    const invoices = (await admin.get(e(`/invoices?unit_id=${unit.id}`))).body.items as Array<{ id: string }>;
    return { unitId: unit.id as string, resident: client, invoiceId: invoices[0].id };
  }

  async function invoiceOf(unitId: string, invoiceId: string): Promise<{ status: string; outstanding: number }> {
    const items = (await admin.get(e(`/invoices?unit_id=${unitId}`))).body.items as Array<{
      id: string;
      status: string;
      outstanding: number;
    }>;
    return items.find((i) => i.id === invoiceId)!;
  }

  /** A resident's QRIS charge for their invoice, paid at the fake (with `paidAmount` when it differs) and delivered. */
  async function paidCharge(amount: number, paidAmount?: number) {
    const r = await residentWithInvoice(amount);
    const charge = (await r.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [r.invoiceId] })).body;
    const pr = fake.pay(fake.byReference(charge.reference)!.id, paidAmount === undefined ? {} : { amount: paidAmount });
    const sent = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), {
      token: CALLBACK_TOKEN,
      webhookId: `paid-${charge.id}`,
    });
    expect(sent.status).toBe(200);
    await runJobs();
    return { ...r, charge, pr };
  }

  const post = (body: string | Buffer, headers: Record<string, string> = {}) =>
    fetch(webhookUrl(), {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-callback-token': CALLBACK_TOKEN, ...headers },
      body: typeof body === 'string' ? body : new Uint8Array(body),
    });

  beforeAll(async () => {
    fake = await startFakeXendit(SECRET_KEY);
    ({ server, dispose } = await openServer(backendName));
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    staff = (await userWithRole(server.url, admin, estateId, 'staff')).client;
    const saved = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      base_url: fake.url,
      methods: ['qris'],
      fee_bearer: 'estate',
      secret_key: SECRET_KEY,
      callback_token: CALLBACK_TOKEN,
    });
    expect(saved.status, saved.text).toBe(200);
  });

  afterAll(async () => {
    await dispose();
    await fake.close();
  });

  it('stores a webhook byte for byte: odd whitespace, key order, escapes and non-ASCII kept as sent', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(85_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const pr = fake.pay(fake.byReference(charge.reference)!.id);
    // Keys out of the usual order, tabs and blank lines, an escaped slash and unicode escape, a raw "é" and a float
    // spelled with an exponent: a re-serialisation would change every one of these.
    const raw =
      `{\n\t"data" :{ "status":"SUCCEEDED",  "reference_id":"${charge.reference}",\r\n "id" : "py-raw-1",` +
      `"payment_request_id":"${pr.id}", "description":"Iuran\\/bulan \\u00e9 café", "amount": 8.5e4 },\n\n` +
      ` "event":"payment.succeeded"  }  \n`;
    const res = await post(raw, { 'webhook-id': `raw-${charge.id}` });
    expect(res.status, await res.clone().text()).toBe(200);
    const stored = await knex()('webhook_events')
      .where({ provider: 'xendit', event_id: `raw-${charge.id}` })
      .first();
    expect(Buffer.from(stored.body, 'utf8').equals(Buffer.from(raw, 'utf8'))).toBe(true);
    // Processed from those bytes like any other event.
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
  });

  it('refuses a webhook body over the limit with 413 WEBHOOK_TOO_LARGE and one that is not UTF-8 with 400; nothing stored', async () => {
    const { resident, invoiceId } = await residentWithInvoice(45_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const before = await knex()('webhook_events').count({ n: '*' }).first();
    const big = JSON.stringify({
      event: 'payment.succeeded',
      data: { id: 'py-big', reference_id: charge.reference, padding: 'x'.repeat(WEBHOOK_BODY_MAX_BYTES) },
    });
    const tooLarge = await post(big, { 'webhook-id': 'big-1' });
    expect(tooLarge.status).toBe(413);
    expect((await tooLarge.json()).error.code).toBe('WEBHOOK_TOO_LARGE');
    const latin1 = Buffer.concat([
      Buffer.from(`{"event":"payment.succeeded","data":{"id":"py-l1","reference_id":"${charge.reference}","note":"caf`),
      Buffer.from([0xe9]),
      Buffer.from('"}}'),
    ]);
    const notUtf8 = await post(latin1, { 'webhook-id': 'latin-1' });
    expect(notUtf8.status).toBe(400);
    expect((await notUtf8.json()).error.code).toBe('WEBHOOK_MALFORMED');
    expect(await knex()('webhook_events').count({ n: '*' }).first()).toEqual(before);
    // Other routes keep their own limit: a 100 KB body elsewhere is not a webhook's business.
    const elsewhere = await treasurer.post(e('/units'), { code: 'BIG', type: 'rumah', notes: 'x'.repeat(100_000) });
    expect(elsewhere.status).not.toBe(413);
  });

  it('a smaller amount than the charge is recorded as paid, the rest stays owing, and the treasurer gets a notice', async () => {
    const { unitId, invoiceId, charge } = await paidCharge(175_000, 100_000);
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(1);
    expect(Number(payments[0].amount)).toBe(100_000);
    expect(await invoiceOf(unitId, invoiceId)).toMatchObject({ status: 'partial', outstanding: 75_000 });
    const row = await chargeRow(charge.id);
    expect(row).toMatchObject({ status: 'amount_mismatch', payment_id: payments[0].id });
    expect(Number(row.paid_amount)).toBe(100_000);
    // The cash book has what came in, in the gateway's account.
    const entry = await knex()('cashbook_entries')
      .where({ estate_id: estateId, source_type: 'payment', source_id: payments[0].id })
      .first();
    expect(Number(entry.amount)).toBe(100_000);

    const notices = (await treasurer.get(e('/ledger/notices?open=1'))).body.items.filter((n: any) => n.unit_id === unitId);
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'amount_mismatch', payment_id: payments[0].id, invoice_id: invoiceId, amount: 100_000 });
    expect(notices[0].details).toMatchObject({ expected: 175_000, paid: 100_000, credit: 0, charge_id: charge.id });

    // Redelivered, and run again: still one payment, one notice.
    const pr = fake.byReference(charge.reference)!;
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN, webhookId: `again-${charge.id}` });
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    expect(await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(1);
  });

  const saveFeeBearer = async (feeBearer: 'estate' | 'resident') => {
    const saved = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      base_url: fake.url,
      methods: ['qris'],
      fee_bearer: feeBearer,
    });
    expect(saved.status, saved.text).toBe(200);
  };

  it('the estate bears the fee: the payment is the whole amount and the fee an expense out of "Saldo Xendit", once', async () => {
    const { unitId, invoiceId, charge } = await paidCharge(150_000);
    expect(charge).toMatchObject({ amount: 150_000, fee_amount: 0 });
    const [payment] = await paymentsOfUnit(unitId);
    expect(Number(payment.amount)).toBe(150_000);
    expect((await invoiceOf(unitId, invoiceId)).status).toBe('paid');
    const entries = await knex()('cashbook_entries')
      .where({ estate_id: estateId })
      .whereIn('source_type', ['payment', 'gateway_fee'])
      .where('source_id', payment.id);
    const fee = entries.find((x: { source_type: string }) => x.source_type === 'gateway_fee');
    const income = entries.find((x: { source_type: string }) => x.source_type === 'payment');
    // QRIS at 0.7%, from the configured rule.
    expect(fee).toMatchObject({ direction: 'out', category: 'gateway_fee', account_id: income.account_id, proof_number: payment.number });
    expect(Number(fee.amount)).toBe(1_050);
    expect(fee.entry_date).toBe(income.entry_date);
    const categories = (await treasurer.get(e('/cashbook/categories'))).body;
    const listed = (Array.isArray(categories) ? categories : categories.items).find((c: { code: string }) => c.code === 'gateway_fee');
    expect(listed).toMatchObject({ name: 'Biaya payment gateway', direction: 'out' });
    // A redelivery books nothing more.
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(fake.byReference(charge.reference)!), {
      token: CALLBACK_TOKEN,
      webhookId: `fee-again-${charge.id}`,
    });
    await runJobs();
    expect(await knex()('cashbook_entries').where({ estate_id: estateId, source_type: 'gateway_fee', source_id: payment.id })).toHaveLength(
      1,
    );
  });

  it('the resident bears the fee: the charge adds it, the payment and receipt record the dues, no expense is booked', async () => {
    await saveFeeBearer('resident');
    try {
      const { unitId, invoiceId, charge } = await paidCharge(150_000);
      // The least amount from which the dues arrive whole after Xendit's 0.7% on it.
      expect(charge).toMatchObject({ amount: 151_058, fee_amount: 1_058 });
      expect(fake.byReference(charge.reference)!.amount).toBe(151_058);
      const payments = await paymentsOfUnit(unitId);
      expect(payments.map((p: { amount: unknown }) => Number(p.amount))).toEqual([150_000]);
      expect((await invoiceOf(unitId, invoiceId)).status).toBe('paid');
      expect((await treasurer.get(e(`/units/${unitId}/balance`))).body.credit).toBe(0);
      expect(await chargeRow(charge.id)).toMatchObject({ status: 'paid' });
      expect(await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(0);
      expect(
        await knex()('cashbook_entries').where({ estate_id: estateId, source_type: 'gateway_fee', source_id: payments[0].id }),
      ).toHaveLength(0);
      const receipt = await treasurer.get(e(`/payments/${payments[0].id}/receipt`));
      expect(receipt.status, receipt.text).toBe(200);
      expect(receipt.text).toContain('150000');
      expect(receipt.text).not.toContain('151058');
    } finally {
      await saveFeeBearer('estate');
    }
  });

  it('a larger amount than the charge pays the invoice and leaves the excess as credit, with one notice', async () => {
    const { unitId, invoiceId, charge } = await paidCharge(60_000, 75_000);
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(1);
    expect(Number(payments[0].amount)).toBe(75_000);
    expect((await invoiceOf(unitId, invoiceId)).status).toBe('paid');
    expect((await treasurer.get(e(`/units/${unitId}/balance`))).body.credit).toBe(15_000);
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'amount_mismatch' });
    const notices = await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId });
    expect(notices.map((n: { kind: string }) => n.kind)).toEqual(['amount_mismatch']);
    expect(JSON.parse(notices[0].details)).toMatchObject({ expected: 60_000, paid: 75_000, credit: 15_000 });
  });

  const refund = (chargeId: string, body: Record<string, unknown>, client = treasurer) =>
    client.post(e(`/online-charges/${chargeId}/refund`), body);

  it('refunds a whole online payment once, however often it is asked: the payment is reversed and the cash book gives it back', async () => {
    const { unitId, invoiceId, charge } = await paidCharge(120_000);
    const [payment] = await paymentsOfUnit(unitId);
    // Staff may read payments but not reverse them; a reason is required; no more than was paid.
    expect((await refund(charge.id, { reason: 'Salah bayar' }, staff)).status).toBe(403);
    const noReason = await refund(charge.id, {});
    expect(noReason.status).toBe(400);
    const tooMuch = await refund(charge.id, { amount: 120_001, reason: 'Salah bayar' });
    expect(tooMuch.status).toBe(422);
    expect(tooMuch.body.error.code).toBe('REFUND_EXCEEDS_PAYMENT');
    expect(await chargeRow(charge.id)).toMatchObject({ refund_status: null });

    const answers = await Promise.all(Array.from({ length: 4 }, () => refund(charge.id, { reason: 'Warga pindah' })));
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200]);
    expect(new Set(answers.map((a) => a.body.gateway_refund_id)).size).toBe(1);
    expect(answers[0].body).toMatchObject({ status: 'refunded', amount: 120_000, payment_id: payment.id, kept_payment_id: null });
    // At Xendit: one refund, asked under the charge's refund reference as its idempotency key.
    const atGateway = [...fake.refunds.values()].filter((r) => r.payment_request_id === fake.byReference(charge.reference)!.id);
    expect(atGateway).toHaveLength(1);
    expect(fake.refunds.get(`${charge.reference}-refund`)).toMatchObject({ amount: 120_000 });
    // Asked again later: the same answer, nothing new.
    const again = await refund(charge.id, { reason: 'Warga pindah' });
    expect(again.body.gateway_refund_id).toBe(answers[0].body.gateway_refund_id);
    expect(
      fake.calls('POST', /^\/refunds$/).filter((c) => (c.body as any).payment_request_id === atGateway[0].payment_request_id).length,
    ).toBeLessThanOrEqual(5);

    const reversals = await knex()('payment_reversals').where({ estate_id: estateId, payment_id: payment.id });
    expect(reversals).toHaveLength(1);
    expect(reversals[0].reason).toContain('Warga pindah');
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    expect(await invoiceOf(unitId, invoiceId)).toMatchObject({ status: 'unpaid', outstanding: 120_000 });
    const lines = await knex()('cashbook_entries').where({ estate_id: estateId, source_id: payment.id });
    const income = lines.find((x: { source_type: string }) => x.source_type === 'payment');
    const out = lines.find((x: { source_type: string }) => x.source_type === 'payment_reversal');
    expect(out).toMatchObject({ direction: 'out', account_id: income.account_id });
    expect(Number(out.amount)).toBe(120_000);
    const audit = await knex()('audit_log')
      .where({ estate_id: estateId, entity_table: 'online_charges', entity_id: charge.id })
      .select('action');
    expect(audit.map((a: { action: string }) => a.action)).toEqual(
      expect.arrayContaining(['online_charges.refund_requested', 'online_charges.refunded']),
    );
    // The office's list of charges shows the refund beside the charge.
    const listed = (await treasurer.get(e(`/online-charges?unit_id=${unitId}`))).body.items;
    expect(listed.find((c: { id: string }) => c.id === charge.id).refund).toMatchObject({
      status: 'refunded',
      amount: 120_000,
      reason: 'Warga pindah',
    });
    // Another amount after the refund is refused.
    const other = await refund(charge.id, { amount: 1_000, reason: 'Lagi' });
    expect(other.status).toBe(409);
    expect(other.body.error.code).toBe('ALREADY_REFUNDED');
  });

  it('a partial refund keeps the rest as a new payment into the gateway account: the cash book moves by the refund only', async () => {
    const { unitId, invoiceId, charge } = await paidCharge(100_000);
    const [payment] = await paymentsOfUnit(unitId);
    const res = await refund(charge.id, { amount: 30_000, reason: 'Kelebihan iuran' });
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ status: 'refunded', amount: 30_000, payment_id: payment.id });
    const kept = await knex()('payments').where({ id: res.body.kept_payment_id }).first();
    expect(Number(kept.amount)).toBe(70_000);
    expect(await invoiceOf(unitId, invoiceId)).toMatchObject({ status: 'partial', outstanding: 30_000 });
    const account = (await knex()('cashbook_entries').where({ source_type: 'payment', source_id: payment.id }).first()).account_id;
    const moves = await knex()('cashbook_entries')
      .where({ estate_id: estateId, account_id: account })
      .whereIn('source_id', [payment.id, kept.id])
      .whereNot('source_type', 'gateway_fee');
    const net = moves.reduce(
      (sum: number, m: { direction: string; amount: unknown }) => sum + (m.direction === 'in' ? 1 : -1) * Number(m.amount),
      0,
    );
    expect(net).toBe(70_000);
    expect(fake.refunds.get(`${charge.reference}-refund`)).toMatchObject({ amount: 30_000 });
  });

  it('a gateway that refuses the refund changes nothing in the books (409); one that cannot be reached is completed by the retry', async () => {
    const refused = await paidCharge(50_000);
    const pr = fake.byReference(refused.charge.reference)!;
    pr.status = 'EXPIRED';
    const no = await refund(refused.charge.id, { reason: 'Batal' });
    pr.status = 'SUCCEEDED';
    expect(no.status).toBe(409);
    expect(no.body.error.code).toBe('GATEWAY_REFUND_REFUSED');
    expect(
      await knex()('payment_reversals').where({ estate_id: estateId, payment_id: (await chargeRow(refused.charge.id)).payment_id }),
    ).toHaveLength(0);
    expect(await chargeRow(refused.charge.id)).toMatchObject({ refund_status: 'failed' });
    // Asked again once the gateway allows it: refunded.
    expect((await refund(refused.charge.id, { reason: 'Batal' })).body.status).toBe('refunded');

    const down = await paidCharge(40_000);
    fake.down = true;
    const unreachable = await refund(down.charge.id, { reason: 'Batal' });
    fake.down = false;
    expect(unreachable.status).toBe(502);
    expect(await chargeRow(down.charge.id)).toMatchObject({ refund_status: 'requesting' });
    expect(
      await knex()('payment_reversals').where({ estate_id: estateId, payment_id: (await chargeRow(down.charge.id)).payment_id }),
    ).toHaveLength(0);
    const retried = await refund(down.charge.id, { reason: 'Batal' });
    expect(retried.status, retried.text).toBe(200);
    expect(retried.body.status).toBe('refunded');

    // A charge nobody paid has nothing to refund.
    const { resident, invoiceId } = await residentWithInvoice(30_000);
    const unpaid = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const nothing = await refund(unpaid.id, { reason: 'Batal' });
    expect(nothing.status).toBe(409);
    expect(nothing.body.error.code).toBe('CHARGE_NOT_PAID');
  });

  it('a refund the ledger would refuse is refused before the gateway is asked', async () => {
    // Paid more than the charge: the excess is credit, and that credit is paid back in cash first.
    const { unitId, charge } = await paidCharge(20_000, 35_000);
    const cashOut = await treasurer.post(e(`/units/${unitId}/credit-refunds`), { amount: 15_000, method: 'cash' });
    expect(cashOut.status, cashOut.text).toBe(201);
    const before = fake.calls('POST', /^\/refunds$/).length;
    const res = await refund(charge.id, { reason: 'Batal' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CREDIT_REFUNDED');
    expect(fake.calls('POST', /^\/refunds$/).length).toBe(before);
    expect(await chargeRow(charge.id)).toMatchObject({ refund_status: null });
  });
});
