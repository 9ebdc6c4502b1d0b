import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { midtransOrderId, referenceOfOrderId } from '../../server/ledger/online/midtrans-gateway.ts';
import { planReconciliation } from '../../server/ledger/online/reconcile.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeMidtrans, type FakeMidtrans } from '../support/fake-midtrans.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * Online payments through Midtrans (Snap) against a local fake speaking Snap and the Core API: settings without a
 * callback token, a charge whose page the resident is sent to, and the signed notification → job → payment path, on
 * SQLite and on PostgreSQL (where concurrent deliveries race for real).
 */
const SERVER_KEY = 'SB-Mid-server-klustera-fake-key';

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

describe('Midtrans order ids', () => {
  it('pack a charge reference into 50 characters and back, and nothing else unpacks', () => {
    const estate = '01937a6e-4b2c-7d8e-9f01-23456789abcd';
    for (const reference of [`kl-${estate}-0123456789abcdef01234567`, `kl-${estate}-0123456789abcdef01234567-999999`]) {
      const orderId = midtransOrderId(reference);
      expect(orderId.length).toBeLessThanOrEqual(50);
      expect(orderId).toMatch(/^[A-Za-z0-9\-_~.]+$/);
      expect(referenceOfOrderId(orderId)).toBe(reference);
    }
    expect(referenceOfOrderId('order-123')).toBeNull();
    expect(referenceOfOrderId(`kl${'A'.repeat(38)}x`)).toBeNull();
    expect(referenceOfOrderId(42)).toBeNull();
  });
});

describe.each(['sqlite', 'postgres'] as const)('online payments through Midtrans on %s', (backendName) => {
  let server: TestServer;
  let dispose: () => Promise<void>;
  let fake: FakeMidtrans;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let estateId: string;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const notifyUrl = () => `${server.url}/api/v1/webhooks/midtrans`;

  async function residentWithInvoice(amount = 150_000) {
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
    return { unitId: unit.id as string, residentId: resident.id as string, resident: client, invoiceId: invoices[0].id };
  }

  /** A resident's charge for their invoice, made at the fake Midtrans: the charge and its Midtrans order id. */
  async function charged(amount: number) {
    const r = await residentWithInvoice(amount);
    const res = await r.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [r.invoiceId] });
    expect(res.status, res.text).toBe(201);
    return { ...r, charge: res.body, orderId: midtransOrderId(res.body.reference) };
  }

  async function invoiceStatus(unitId: string, invoiceId: string): Promise<string> {
    const items = (await admin.get(e(`/invoices?unit_id=${unitId}`))).body.items as Array<{ id: string; status: string }>;
    return items.find((i) => i.id === invoiceId)!.status;
  }

  const runJobs = () => server.jobs.runDue();
  const runJobsLater = (workerId = 'later') =>
    new JobRunner(server.app, { jobs: allJobs, now: () => new Date(Date.now() + 3 * 3600_000), workerId }).runDue();
  const paymentsOfUnit = (unitId: string) => knex()('payments').where({ estate_id: estateId, unit_id: unitId });
  const chargeRow = (id: string) => knex()('online_charges').where({ id }).first();
  const eventCount = async () => Number((await knex()('webhook_events').where({ provider: 'midtrans' }).count({ n: '*' }).first())!.n);

  beforeAll(async () => {
    fake = await startFakeMidtrans(SERVER_KEY);
    ({ server, dispose } = await openServer(backendName));
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
  });

  afterAll(async () => {
    await dispose();
    await fake.close();
  });

  it('is chosen per estate with its server key alone (sealed, never answered), switches Xendit off, and tests the key', async () => {
    const xendit = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      methods: ['qris'],
      fee_bearer: 'estate',
      secret_key: 'xnd_development_other_key',
      callback_token: 'callback-token-0123456789',
    });
    expect(xendit.status, xendit.text).toBe(200);

    const body = {
      provider: 'midtrans',
      enabled: true,
      base_url: fake.url,
      snap_base_url: fake.url,
      methods: ['qris'],
      fee_bearer: 'estate',
    };
    const keyless = await treasurer.put(e('/settings/payment-gateway'), body);
    expect(keyless.status).toBe(409);
    expect(keyless.body.error.code).toBe('GATEWAY_KEYS_MISSING');
    // Midtrans has no callback token, and no virtual account per unit here.
    const withToken = await treasurer.put(e('/settings/payment-gateway'), {
      ...body,
      secret_key: SERVER_KEY,
      callback_token: 'abcdefgh1234',
    });
    expect(withToken.status).toBe(400);
    expect(withToken.body.error.field).toBe('callback_token');
    const withVa = await treasurer.put(e('/settings/payment-gateway'), {
      ...body,
      secret_key: SERVER_KEY,
      methods: ['qris', 'va'],
      va_banks: ['BCA'],
    });
    expect(withVa.status).toBe(400);

    const saved = await treasurer.put(e('/settings/payment-gateway'), { ...body, secret_key: SERVER_KEY });
    expect(saved.status, saved.text).toBe(200);
    expect(saved.body).toMatchObject({ provider: 'midtrans', enabled: true, has_secret_key: true, snap_base_url: fake.url });
    expect(saved.text).not.toContain(SERVER_KEY);
    const row = await knex()('payment_gateways').where({ estate_id: estateId, provider: 'midtrans' }).first();
    expect(JSON.stringify(row)).not.toContain(SERVER_KEY);
    // One gateway takes charges: Xendit is off now, and the estate's gateway is Midtrans.
    expect(Boolean((await knex()('payment_gateways').where({ estate_id: estateId, provider: 'xendit' }).first()).enabled)).toBe(false);
    expect((await treasurer.get(e('/settings/payment-gateway'))).body).toMatchObject({ provider: 'midtrans', enabled: true });
    expect((await treasurer.get(e('/settings/payment-gateway?provider=xendit'))).body).toMatchObject({
      provider: 'xendit',
      enabled: false,
      has_callback_token: true,
    });

    const tested = await treasurer.post(e('/settings/payment-gateway/test'), {});
    expect(tested.status, tested.text).toBe(200);
    const probe = fake.calls('GET', /^\/v2\/[^/]+\/status$/).at(-1)!;
    expect(probe.headers.authorization).toBe(`Basic ${Buffer.from(`${SERVER_KEY}:`).toString('base64')}`);

    await treasurer.put(e('/settings/payment-gateway'), { ...body, secret_key: 'SB-Mid-server-wrong-key' });
    const rejected = await treasurer.post(e('/settings/payment-gateway/test'), {});
    expect(rejected.status).toBe(400);
    expect(rejected.body.error.code).toBe('GATEWAY_KEY_REJECTED');
    expect((await treasurer.put(e('/settings/payment-gateway'), { ...body, secret_key: SERVER_KEY })).status).toBe(200);
  });

  it("a resident's charge is a Snap order under a 50-character order id, paid on Snap's page", async () => {
    const { resident, charge, orderId, unitId } = await charged(150_000);
    expect((await resident.get(e('/portal/online-payment'))).body).toMatchObject({ enabled: true, provider: 'midtrans' });
    expect(charge).toMatchObject({ provider: 'midtrans', status: 'pending', amount: 150_000, qr_string: null });
    const order = fake.order(orderId);
    expect(charge.checkout_url).toBe(`${fake.url}/snap/v4/redirection/${order.token}`);
    expect(order).toMatchObject({ gross_amount: 150_000, enabled_payments: ['other_qris'] });
    expect(order.expiry).toMatchObject({ unit: 'minutes' });
    const snap = fake.calls('POST', /^\/snap\/v1\/transactions$/).at(-1)!;
    expect(snap.headers.authorization).toBe(`Basic ${Buffer.from(`${SERVER_KEY}:`).toString('base64')}`);
    // The same request again is the same charge: Snap is not asked twice for one order id.
    const again = await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: charge.invoice_ids });
    expect(again.body.id).toBe(charge.id);
    expect(
      fake.calls('POST', /^\/snap\/v1\/transactions$/).filter((c) => (c.body as any).transaction_details.order_id === orderId),
    ).toHaveLength(1);
    expect(await knex()('online_charges').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(1);
    const page = await fetch(charge.checkout_url);
    expect(page.status).toBe(200);
  });

  it('10 identical notifications at once record one payment, with its number, receipt and cash-book line in "Saldo Midtrans"', async () => {
    const { resident, charge, orderId, unitId, invoiceId, residentId } = await charged(200_000);
    fake.settle(orderId);
    const body = fake.notificationBody(orderId);
    const deliveries = await Promise.all(Array.from({ length: 10 }, () => fake.notify(notifyUrl(), body)));
    expect(deliveries.map((d) => d.status)).toEqual(Array(10).fill(200));
    expect(deliveries.filter((d) => d.body.duplicate === false)).toHaveLength(1);
    const eventId = `${body.transaction_id}:settlement`;
    expect(await knex()('webhook_events').where({ provider: 'midtrans', event_id: eventId })).toHaveLength(1);

    // Midtrans retries and sends the same state again under a pending → settlement sequence; two runners at once.
    await fake.notify(notifyUrl(), fake.notificationBody(orderId, { transaction_status: 'pending' }));
    await Promise.all([runJobs(), new JobRunner(server.app, { jobs: allJobs, workerId: 'second' }).runDue()]);

    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ method: 'qris', source: 'portal', payer_resident_id: residentId });
    expect(Number(payments[0].amount)).toBe(200_000);
    expect(payments[0].number).toMatch(/^PAY/);
    expect(payments[0].reference).toBe(body.transaction_id);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'paid', payment_id: payments[0].id });
    const entry = await knex()('cashbook_entries').where({ estate_id: estateId, source_type: 'payment', source_id: payments[0].id });
    expect(entry).toHaveLength(1);
    expect(await knex()('cashbook_accounts').where({ id: entry[0].account_id }).first()).toMatchObject({
      name: 'Saldo Midtrans',
      kind: 'ewallet',
    });
    expect(await knex()('webhook_events').where({ provider: 'midtrans' }).whereNot({ status: 'processed' })).toEqual([]);
    // The job asked Midtrans itself.
    expect(fake.calls('GET', new RegExp(`^/v2/${orderId.replace(/[.]/g, '\\.')}/status$`)).length).toBeGreaterThan(0);
    expect((await resident.get(e(`/portal/payments/${payments[0].id}/receipt.pdf`))).status).toBe(200);
    expect((await resident.get(e(`/portal/online-charges/${charge.id}`))).body).toMatchObject({ status: 'paid', checkout_url: null });
  });

  it('a forged or unverifiable notification is refused with 401 and nothing is stored', async () => {
    const { orderId, unitId, invoiceId } = await charged(90_000);
    fake.settle(orderId);
    const good = fake.notificationBody(orderId);
    const before = await eventCount();
    const refused = [
      { ...good, signature_key: fake.signature(orderId, good.status_code, good.gross_amount, 'SB-Mid-server-guessed') },
      { ...good, signature_key: undefined },
      { ...good, gross_amount: '9000000.00' },
      { ...good, status_code: 201 },
      { ...good, order_id: 'order-123', signature_key: fake.signature('order-123', '200', good.gross_amount) },
      {},
    ];
    for (const body of refused) {
      const res = await fake.notify(notifyUrl(), body);
      expect(res.status, JSON.stringify(body)).toBe(401);
      expect(res.body.error.code).toBe('WEBHOOK_SIGNATURE_INVALID');
    }
    const junk = await fake.notify(notifyUrl(), [1, 2, 3]);
    expect(junk.status).toBe(400);
    expect(await eventCount()).toBe(before);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('unpaid');
    // The genuine one goes through.
    expect((await fake.notify(notifyUrl(), good)).status).toBe(200);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
  });

  it('a notification saying settlement while Midtrans says pending records nothing until Midtrans has it', async () => {
    const { charge, orderId, unitId, invoiceId } = await charged(60_000);
    fake.choose(orderId);
    // Correctly signed (the signature covers order, status code and amount, not the status), but not true yet.
    const claimed = fake.notificationBody(orderId, { transaction_status: 'settlement' });
    expect((await fake.notify(notifyUrl(), claimed)).status).toBe(200);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'pending' });
    fake.settle(orderId);
    await runJobsLater();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
  });

  it('an amount at Midtrans that differs from the charge never pays the bill as if whole; the charge is flagged', async () => {
    const { charge, orderId, unitId, invoiceId } = await charged(175_000);
    fake.settle(orderId, { amount: 17_500 });
    expect((await fake.notify(notifyUrl(), fake.notificationBody(orderId))).status).toBe(200);
    await runJobs();
    const row = await chargeRow(charge.id);
    expect(row.status).toBe('amount_mismatch');
    expect(Number(row.paid_amount)).toBe(17_500);
    const paid = (await paymentsOfUnit(unitId)).reduce((s: number, p: { amount: unknown }) => s + Number(p.amount), 0);
    expect(paid).toBeLessThanOrEqual(17_500);
    expect(await invoiceStatus(unitId, invoiceId)).not.toBe('paid');
  });

  it('a card capture the fraud check challenges is not paid; accepted, it is', async () => {
    const { charge, orderId, unitId, invoiceId } = await charged(80_000);
    const challenged = fake.capture(orderId, 'challenge');
    expect((await fake.notify(notifyUrl(), fake.notificationBody(orderId))).status).toBe(200);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'pending' });
    // Nothing left waiting on it: a challenge is an answer, not a claim of payment.
    expect(
      await knex()('jobs').where({ name: 'ledger.process-midtrans-webhook', dedupe_key: `midtrans:${challenged.transaction_id}:capture` }),
    ).toMatchObject([{ status: 'done' }]);

    // The merchant accepts it at Midtrans; the reconciliation finds it.
    fake.capture(orderId, 'accept');
    await planReconciliation(server.app, new Date(Date.now() + 5 * 60_000));
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
  });

  it('a charge Midtrans expired is marked so; money that still arrives on it is recorded', async () => {
    const { charge, orderId, unitId, invoiceId } = await charged(110_000);
    fake.expire(orderId);
    expect((await fake.notify(notifyUrl(), fake.notificationBody(orderId))).status).toBe(200);
    await runJobs();
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'expired' });
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);

    fake.settle(orderId);
    expect((await fake.notify(notifyUrl(), fake.notificationBody(orderId))).status).toBe(200);
    await runJobs();
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(1);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'paid', payment_id: payments[0].id });
  });

  it('a payment after the invoice was paid in cash is still recorded: the excess becomes credit and the treasurer gets a notice', async () => {
    const { charge, orderId, unitId, invoiceId } = await charged(130_000);
    const cash = await treasurer.post(e('/payments'), {
      unit_id: unitId,
      amount: 130_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(cash.status, cash.text).toBe(201);
    fake.settle(orderId);
    expect((await fake.notify(notifyUrl(), fake.notificationBody(orderId))).status).toBe(200);
    await runJobs();
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(2);
    const online = payments.find((p: { method: string }) => p.method === 'qris');
    expect(Number(online.amount)).toBe(130_000);
    expect((await treasurer.get(e(`/units/${unitId}/balance`))).body.credit).toBe(130_000);
    const notices = await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'overpayment', payment_id: online.id, invoice_id: invoiceId });
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'paid', payment_id: online.id });
  });

  it('a Snap answer lost on the way leaves no charge stuck: Midtrans refuses the used order id once, and the next tap makes a fresh order', async () => {
    const r = await residentWithInvoice(55_000);
    const pay = () => r.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [r.invoiceId] });
    fake.loseNextSnapAnswer = true;
    const lostAnswer = await pay();
    expect(lostAnswer.status).toBe(502);
    expect(lostAnswer.body.error.code).toBe('GATEWAY_UNAVAILABLE');
    const charges = () => knex()('online_charges').where({ estate_id: estateId, unit_id: r.unitId }).orderBy('created_at');
    const [lost] = await charges();
    expect(lost).toMatchObject({ status: 'creating' });
    // Midtrans made the order but its answer never came: asked again under the same order id, it refuses.
    expect(fake.orders.has(midtransOrderId(lost.reference))).toBe(true);
    const refused = await pay();
    expect(refused.status).toBe(502);
    expect(await charges()).toMatchObject([{ id: lost.id, status: 'failed' }]);
    expect((await chargeRow(lost.id)).last_error).toContain('sudah digunakan');

    const fresh = await pay();
    expect(fresh.status, fresh.text).toBe(201);
    expect(fresh.body).toMatchObject({ status: 'pending' });
    expect(fresh.body.reference).not.toBe(lost.reference);
    expect(fresh.body.checkout_url).toContain('/snap/v4/redirection/');
    fake.settle(midtransOrderId(fresh.body.reference));
    const sent = await fake.notify(notifyUrl(), fake.notificationBody(midtransOrderId(fresh.body.reference)));
    expect(sent.status).toBe(200);
    await runJobs();
    expect(await paymentsOfUnit(r.unitId)).toHaveLength(1);
    expect(await invoiceStatus(r.unitId, r.invoiceId)).toBe('paid');
  });

  it('with no notification at all, reconciliation settles a paid charge and expires one whose invoice was paid in cash', async () => {
    const paid = await charged(70_000);
    fake.settle(paid.orderId);
    const cash = await charged(95_000);
    fake.choose(cash.orderId);
    expect(
      (await treasurer.post(e('/payments'), { unit_id: cash.unitId, amount: 95_000, method: 'cash', paid_at: new Date().toISOString() }))
        .status,
    ).toBe(201);
    // A Snap page nobody opened: Midtrans knows no transaction for it yet.
    const untouched = await charged(40_000);

    const now = new Date(Date.now() + 10 * 60_000);
    expect(await planReconciliation(server.app, now)).toBeGreaterThanOrEqual(1);
    await runJobs();

    const payments = await paymentsOfUnit(paid.unitId);
    expect(payments).toHaveLength(1);
    expect(await invoiceStatus(paid.unitId, paid.invoiceId)).toBe('paid');
    expect(await chargeRow(paid.charge.id)).toMatchObject({ status: 'paid', payment_id: payments[0].id });

    expect(await chargeRow(cash.charge.id)).toMatchObject({ status: 'expired' });
    expect(fake.order(cash.orderId).transaction!.transaction_status).toBe('expire');
    expect(await paymentsOfUnit(cash.unitId)).toHaveLength(1);

    expect(await chargeRow(untouched.charge.id)).toMatchObject({ status: 'pending' });
    expect(await paymentsOfUnit(untouched.unitId)).toHaveLength(0);
  });
});
