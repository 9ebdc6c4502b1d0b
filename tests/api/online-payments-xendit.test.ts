import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { chargeReference } from '../../server/ledger/online/charge-service.ts';
import { planReconciliation } from '../../server/ledger/online/reconcile.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type ApiResponse, type TestServer } from '../support/server.ts';

/**
 * Online payments through Xendit against a local fake that speaks the Payment Requests API: gateway settings,
 * a resident's QRIS charge, and the callback → job → payment path, on SQLite and on PostgreSQL (where concurrent
 * deliveries race for real).
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

function expectNo5xx(responses: ApiResponse[]) {
  expect(responses.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.text.slice(0, 200)}`)).toEqual([]);
}

describe.each(['sqlite', 'postgres'] as const)('online payments through Xendit on %s', (backendName) => {
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

  /** A unit with one resident who can sign in to the portal, and one open invoice of `amount`. */
  async function residentWithInvoice(amount = 150_000) {
    const code = `Q-${++unitNo}`;
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
    const invoices = (await admin.get(e(`/invoices?unit_id=${unit.id}`))).body.items as Array<{ id: string; status: string }>;
    return { unitId: unit.id as string, residentId: resident.id as string, resident: client, invoiceId: invoices[0].id };
  }

  async function invoiceStatus(unitId: string, invoiceId: string): Promise<string> {
    const items = (await admin.get(e(`/invoices?unit_id=${unitId}`))).body.items as Array<{ id: string; status: string }>;
    return items.find((i) => i.id === invoiceId)!.status;
  }

  const runJobs = () => server.jobs.runDue();
  /** A runner whose clock is hours ahead, so jobs waiting for their retry are due. */
  const runJobsLater = (workerId = 'later') =>
    new JobRunner(server.app, { jobs: allJobs, now: () => new Date(Date.now() + 3 * 3600_000), workerId }).runDue();

  const paymentsOfUnit = (unitId: string) => knex()('payments').where({ estate_id: estateId, unit_id: unitId });
  const chargeRow = (id: string) => knex()('online_charges').where({ id }).first();

  beforeAll(async () => {
    fake = await startFakeXendit(SECRET_KEY);
    ({ server, dispose } = await openServer(backendName));
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    staff = (await userWithRole(server.url, admin, estateId, 'staff')).client;
  });

  afterAll(async () => {
    await dispose();
    await fake.close();
  });

  it('keeps gateway secrets encrypted and never answers them; only admin and treasurer reach the settings', async () => {
    expect((await staff.get(e('/settings/payment-gateway'))).status).toBe(403);
    const before = await treasurer.get(e('/settings/payment-gateway'));
    expect(before.body).toMatchObject({ enabled: false, has_secret_key: false, has_callback_token: false });

    // Switching on without the keys would take charges it cannot make or confirm.
    const keyless = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      methods: ['qris'],
      fee_bearer: 'estate',
    });
    expect(keyless.status).toBe(409);
    expect(keyless.body.error.code).toBe('GATEWAY_KEYS_MISSING');

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
    expect(saved.body).toMatchObject({ enabled: true, has_secret_key: true, has_callback_token: true, base_url: fake.url });
    expect(saved.text).not.toContain(SECRET_KEY);
    expect(saved.text).not.toContain(CALLBACK_TOKEN);
    const read = await admin.get(e('/settings/payment-gateway'));
    expect(read.text).not.toContain(SECRET_KEY);
    expect(read.body.has_secret_key).toBe(true);

    const row = await knex()('payment_gateways').where({ estate_id: estateId }).first();
    expect(JSON.stringify(row)).not.toContain(SECRET_KEY);
    expect(JSON.stringify(row)).not.toContain(CALLBACK_TOKEN);
    // Audited without the sealed values, and never sent to another site (sealed with this site's key).
    const audit = await knex()('audit_log').where({ entity_table: 'payment_gateways' }).select('before', 'after');
    expect(audit.length).toBeGreaterThan(0);
    expect(JSON.stringify(audit)).not.toContain('secret_key_enc');
    expect(JSON.stringify(audit)).not.toContain('callback_token_enc');
    expect(await knex()('outbox').where({ table_name: 'payment_gateways' })).toEqual([]);

    // A save that leaves the secrets out keeps them.
    const renamed = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      base_url: fake.url,
      methods: ['qris'],
      fee_bearer: 'resident',
    });
    expect(renamed.body).toMatchObject({ has_secret_key: true, has_callback_token: true, fee_bearer: 'resident' });

    const tested = await treasurer.post(e('/settings/payment-gateway/test'), {});
    expect(tested.status, tested.text).toBe(200);
    expect(fake.calls('GET', /^\/balance$/).at(-1)!.headers.authorization).toBe(
      `Basic ${Buffer.from(`${SECRET_KEY}:`).toString('base64')}`,
    );
  });

  it('a wrong secret key fails the connection test with a clear 400', async () => {
    const put = (secret: string) =>
      treasurer.put(e('/settings/payment-gateway'), {
        provider: 'xendit',
        enabled: true,
        base_url: fake.url,
        methods: ['qris'],
        fee_bearer: 'estate',
        secret_key: secret,
      });
    await put('xnd_development_wrong_key');
    const tested = await treasurer.post(e('/settings/payment-gateway/test'), {});
    expect(tested.status).toBe(400);
    expect(tested.body.error.code).toBe('GATEWAY_KEY_REJECTED');
    expect((await put(SECRET_KEY)).status).toBe(200);
  });

  it('a resident makes one QRIS charge for an open invoice, however often the request is sent', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(150_000);
    const created = await Promise.all(
      Array.from({ length: 5 }, () => resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })),
    );
    expectNo5xx(created);
    expect(created.map((r) => r.status)).toEqual([201, 201, 201, 201, 201]);
    const ids = new Set(created.map((r) => r.body.id));
    expect(ids.size).toBe(1);
    const charge = created[0].body;
    expect(charge).toMatchObject({ unit_id: unitId, amount: 150_000, method: 'qris', status: 'pending', invoice_ids: [invoiceId] });
    expect(charge.qr_string).toMatch(/^000201/);
    expect(Date.parse(charge.expires_at)).toBeGreaterThan(Date.now());
    // At Xendit: one payment request, asked for under our reference as its idempotency key.
    const prs = [...fake.paymentRequests.values()].filter((p) => p.reference_id === charge.reference);
    expect(prs).toHaveLength(1);
    for (const call of fake.calls('POST', /^\/payment_requests$/).filter((c) => (c.body as any).reference_id === charge.reference)) {
      expect(call.headers['idempotency-key']).toBe(charge.reference);
    }
    expect(await knex()('online_charges').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(1);

    const status = await resident.get(e(`/portal/online-charges/${charge.id}`));
    expect(status.status).toBe(200);
    expect(status.body).toMatchObject({ id: charge.id, status: 'pending', amount: 150_000, qr_string: charge.qr_string });

    // Another resident, or an invoice of another unit, gets nothing.
    const other = await residentWithInvoice(100_000);
    expect((await other.resident.get(e(`/portal/online-charges/${charge.id}`))).status).toBe(404);
    const foreign = await other.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] });
    expect(foreign.status).toBe(409);
    expect(foreign.body.error.code).toBe('INVOICE_NOT_OPEN');
    const both = await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId], amount: 5000 });
    expect(both.status).toBe(400);
    // The office cannot use the resident's portal route.
    expect((await treasurer.post(e('/portal/online-charges'), { method: 'qris' })).status).toBe(403);
  });

  it('the intent is recorded before Xendit is asked: Xendit down answers 502 and the retry completes the same charge', async () => {
    const { resident, invoiceId } = await residentWithInvoice(120_000);
    fake.down = true;
    const failed = await resident.post(
      e('/portal/online-charges'),
      { method: 'qris', invoice_ids: [invoiceId] },
      { 'Idempotency-Key': 'bayar-1' },
    );
    fake.down = false;
    expect(failed.status).toBe(502);
    expect(failed.body.error.code).toBe('GATEWAY_UNAVAILABLE');
    const intent = await knex()('online_charges').where({ estate_id: estateId, status: 'creating' }).first();
    expect(intent).toMatchObject({ amount: expect.anything(), gateway_id: null });
    expect(Number(intent.amount)).toBe(120_000);
    const retried = await resident.post(
      e('/portal/online-charges'),
      { method: 'qris', invoice_ids: [invoiceId] },
      { 'Idempotency-Key': 'bayar-1' },
    );
    expect(retried.status, retried.text).toBe(201);
    expect(retried.body.id).toBe(intent.id);
    expect(retried.body.status).toBe('pending');

    // A connection that goes silent is given up on: the resident gets the same clear 502, not a request that hangs.
    fake.silent = true;
    const started = Date.now();
    const silent = await resident.post(e('/portal/online-charges'), { method: 'qris', amount: 25_000 });
    fake.silent = false;
    expect(silent.status).toBe(502);
    expect(silent.body.error.code).toBe('GATEWAY_UNAVAILABLE');
    expect(Date.now() - started).toBeLessThan(20_000);
  });

  it('10 identical callbacks at once record one payment, with its number, receipt and cash-book line in "Saldo Xendit"', async () => {
    const { resident, invoiceId, unitId, residentId } = await residentWithInvoice(200_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const pr = fake.pay(fake.byReference(charge.reference)!.id);
    const body = fake.paymentSucceededBody(pr, 'py-dup-1');
    const deliveries = await Promise.all(
      Array.from({ length: 10 }, () => fake.sendWebhook(webhookUrl(), body, { token: CALLBACK_TOKEN, webhookId: `wh-${charge.id}` })),
    );
    expect(deliveries.map((d) => d.status)).toEqual(Array(10).fill(200));
    expect(deliveries.filter((d) => d.body.duplicate === false)).toHaveLength(1);
    expect(await knex()('webhook_events').where({ provider: 'xendit', event_id: `wh-${charge.id}` })).toHaveLength(1);
    // The token is not kept with the event.
    const stored = await knex()('webhook_events')
      .where({ provider: 'xendit', event_id: `wh-${charge.id}` })
      .first();
    expect(stored.headers).not.toContain(CALLBACK_TOKEN);

    // Redeliveries under other event ids (Xendit retries, a second event of the same payment), processed by two
    // runners at once: still one payment.
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        fake.sendWebhook(webhookUrl(), body, { token: CALLBACK_TOKEN, webhookId: `wh-${charge.id}-${i}` }),
      ),
    );
    await Promise.all([runJobs(), new JobRunner(server.app, { jobs: allJobs, workerId: 'second' }).runDue()]);

    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ method: 'qris', source: 'portal', payer_resident_id: residentId });
    expect(Number(payments[0].amount)).toBe(200_000);
    expect(payments[0].number).toMatch(/^PAY/);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'paid', payment_id: payments[0].id });
    const entry = await knex()('cashbook_entries').where({ estate_id: estateId, source_type: 'payment', source_id: payments[0].id });
    expect(entry).toHaveLength(1);
    const account = await knex()('cashbook_accounts').where({ id: entry[0].account_id }).first();
    expect(account).toMatchObject({ name: 'Saldo Xendit', kind: 'ewallet' });
    // A later e-wallet payment in the office still lands in the estate's default e-wallet account, not Xendit's.
    const defaults = await knex()('cashbook_accounts')
      .where({ estate_id: estateId, kind: 'ewallet' })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
    expect(defaults[0].name).not.toBe('Saldo Xendit');
    expect(
      await knex()('webhook_events')
        .where({ provider: 'xendit' })
        .where('event_id', 'like', `wh-${charge.id}%`)
        .whereNot({ status: 'processed' }),
    ).toEqual([]);

    const receipt = await resident.get(e(`/portal/payments/${payments[0].id}/receipt.pdf`));
    expect(receipt.status).toBe(200);
    const seen = await resident.get(e(`/portal/online-charges/${charge.id}`));
    expect(seen.body).toMatchObject({ status: 'paid', payment_id: payments[0].id, qr_string: null });
  });

  it('a forged token is refused with 401 and nothing is stored', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(90_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const pr = fake.pay(fake.byReference(charge.reference)!.id);
    const before = await knex()('webhook_events').count({ n: '*' }).first();
    const forged = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: 'not-the-token', webhookId: 'forged-1' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('WEBHOOK_TOKEN_INVALID');
    const missing = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: '', webhookId: 'forged-2' });
    expect(missing.status).toBe(401);
    // A reference that names no estate of ours cannot be checked against any token.
    const stranger = await fake.sendWebhook(
      webhookUrl(),
      { event: 'payment.succeeded', data: { id: 'py-x', reference_id: 'order-123', status: 'SUCCEEDED' } },
      { token: CALLBACK_TOKEN },
    );
    expect(stranger.status).toBe(401);
    const junk = await fake.sendWebhook(webhookUrl(), [1, 2, 3], { token: CALLBACK_TOKEN });
    expect(junk.status).toBe(400);
    const noId = await fake.sendWebhook(
      webhookUrl(),
      { event: 'payment.succeeded', data: { reference_id: charge.reference } },
      { token: CALLBACK_TOKEN },
    );
    expect(noId.status).toBe(400);
    expect(noId.body.error.code).toBe('WEBHOOK_MALFORMED');
    expect(await knex()('webhook_events').count({ n: '*' }).first()).toEqual(before);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('unpaid');

    // With the right token, an event id longer than the inbox keeps is stored under its hash, and recognised again.
    const longId = `wh-${'x'.repeat(400)}`;
    const first = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN, webhookId: longId });
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    const second = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN, webhookId: longId });
    expect(second.body).toEqual({ received: true, duplicate: true });
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
  });

  it('an amount at Xendit that differs from the charge is recorded as it was paid; the charge is flagged', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(175_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const pr = fake.pay(fake.byReference(charge.reference)!.id, { amount: 17_500 });
    const res = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), {
      token: CALLBACK_TOKEN,
      webhookId: `mm-${charge.id}`,
    });
    expect(res.status).toBe(200);
    await runJobs();
    // The money is not dropped (tests/api/online-payments-money-rules.test.ts has the rest of the rule).
    const payments = await paymentsOfUnit(unitId);
    expect(payments.map((p: { amount: unknown }) => Number(p.amount))).toEqual([17_500]);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('partial');
    const row = await chargeRow(charge.id);
    expect(row.status).toBe('amount_mismatch');
    expect(Number(row.paid_amount)).toBe(17_500);
  });

  it('a callback whose body claims more than Xendit holds changes nothing: the job re-reads the charge', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(60_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    // Signed with the right token, but Xendit has not seen a payment: nothing is recorded, and the event waits.
    const pr = fake.byReference(charge.reference)!;
    const claimed = fake.paymentSucceededBody({ ...pr, status: 'SUCCEEDED' });
    expect((await fake.sendWebhook(webhookUrl(), claimed, { token: CALLBACK_TOKEN, webhookId: `early-${charge.id}` })).status).toBe(200);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'pending' });
    // Once Xendit has it, the waiting event settles it.
    fake.pay(pr.id);
    await runJobsLater();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
  });

  it('a payment after the invoice was paid in cash is still recorded: the excess becomes credit and the treasurer gets a notice', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(130_000);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    const cash = await treasurer.post(e('/payments'), {
      unit_id: unitId,
      amount: 130_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(cash.status, cash.text).toBe(201);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');

    const pr = fake.pay(fake.byReference(charge.reference)!.id);
    expect(
      (await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN, webhookId: `late-${charge.id}` }))
        .status,
    ).toBe(200);
    await runJobs();

    const payments = await paymentsOfUnit(unitId).orderBy('created_at');
    expect(payments).toHaveLength(2);
    const online = payments.find((p: { method: string }) => p.method === 'qris');
    expect(Number(online.amount)).toBe(130_000);
    const credit = await knex()('credit_movements').where({ estate_id: estateId, unit_id: unitId, payment_id: online.id });
    expect(credit.map((c: { amount: unknown }) => Number(c.amount))).toEqual([130_000]);
    const balance = await treasurer.get(e(`/units/${unitId}/balance`));
    expect(balance.body.credit).toBe(130_000);
    const notices = await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'overpayment', payment_id: online.id, invoice_id: invoiceId });
    expect(Number(notices[0].amount)).toBe(130_000);
    expect(await chargeRow(charge.id)).toMatchObject({ status: 'paid', payment_id: online.id });
  });

  it('a payment on a charge that expired here is still recorded; paying the renewed charge too leaves credit, never a double-paid bill', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(110_000);
    const first = (await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] })).body;
    // Its half hour is over: asking again gives a new QR under the next reference, not the stale one.
    await knex()('online_charges')
      .where({ id: first.id })
      .update({ expires_at: new Date(Date.now() - 60_000).toISOString() });
    const renewed = await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] });
    expect(renewed.status, renewed.text).toBe(201);
    expect(renewed.body.id).not.toBe(first.id);
    expect(renewed.body.reference).toBe(`${first.reference}-2`);

    // The resident had scanned the old QR in time; Xendit confirms it afterwards.
    const pr1 = fake.pay(fake.byReference(first.reference)!.id);
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr1), { token: CALLBACK_TOKEN, webhookId: `exp-${first.id}` });
    await runJobs();
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
    // And the new QR was paid too: recorded, the bill is not paid twice, the money is credit with a notice.
    const pr2 = fake.pay(fake.byReference(renewed.body.reference)!.id);
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr2), { token: CALLBACK_TOKEN, webhookId: `exp-${renewed.body.id}` });
    await runJobs();
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(2);
    const balance = await treasurer.get(e(`/units/${unitId}/balance`));
    expect(balance.body.credit).toBe(110_000);
    expect(await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId, kind: 'overpayment' })).toHaveLength(1);

    // The office sees both charges paid; staff may read, the resident's portal role may not.
    const listed = await staff.get(e(`/online-charges?unit_id=${unitId}&status=paid`));
    expect(listed.status, listed.text).toBe(200);
    expect(listed.body.total).toBe(2);
    expect(listed.body.items.map((c: { id: string }) => c.id).sort()).toEqual([first.id, renewed.body.id].sort());
    expect((await resident.get(e('/online-charges'))).status).toBe(403);
  });

  it('with no webhook at all, reconciliation settles a paid charge and expires one whose invoice was paid in cash', async () => {
    const paid = await residentWithInvoice(70_000);
    const paidCharge = (await paid.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [paid.invoiceId] })).body;
    fake.pay(fake.byReference(paidCharge.reference)!.id);
    const cash = await residentWithInvoice(95_000);
    const cashCharge = (await cash.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [cash.invoiceId] })).body;
    const cashPaid = await treasurer.post(e('/payments'), {
      unit_id: cash.unitId,
      amount: 95_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(cashPaid.status).toBe(201);
    const untouched = await residentWithInvoice(40_000);
    const waiting = (await untouched.resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [untouched.invoiceId] }))
      .body;

    const now = new Date();
    expect(await planReconciliation(server.app, now)).toBeGreaterThanOrEqual(1);
    // Planned twice in the same slot (two processes, a restart): one job.
    await planReconciliation(server.app, now);
    expect(await knex()('jobs').where({ name: 'ledger.reconcile-online-charges', estate_id: estateId })).toHaveLength(1);
    await runJobs();

    const payments = await paymentsOfUnit(paid.unitId);
    expect(payments).toHaveLength(1);
    expect(await invoiceStatus(paid.unitId, paid.invoiceId)).toBe('paid');
    expect(await chargeRow(paidCharge.id)).toMatchObject({ status: 'paid', payment_id: payments[0].id });

    expect(await chargeRow(cashCharge.id)).toMatchObject({ status: 'expired' });
    const pr = fake.byReference(cashCharge.reference)!;
    expect(pr.status).toBe('EXPIRED');
    expect(fake.calls('POST', new RegExp(`^/v2/payment_methods/${pr.payment_method.id}/expire$`))).toHaveLength(1);
    expect(await paymentsOfUnit(cash.unitId)).toHaveLength(1);

    expect(await chargeRow(waiting.id)).toMatchObject({ status: 'pending' });
    expect(await paymentsOfUnit(untouched.unitId)).toHaveLength(0);
  });

  it('a callback that arrives before the charge is known here is kept and processed once the charge exists', async () => {
    const { resident, invoiceId, unitId } = await residentWithInvoice(80_000);
    const reference = chargeReference(estateId, { unitId, invoiceIds: [invoiceId], amount: 80_000, method: 'qris' });
    // The payment request exists at Xendit (made under our reference) and is paid before our row is there.
    const pr = fake.pay(fake.createPaymentRequest({ reference_id: reference, amount: 80_000, idempotencyKey: reference }).id);
    const res = await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), {
      token: CALLBACK_TOKEN,
      webhookId: `before-${reference}`,
    });
    expect(res.status).toBe(200);
    await runJobs();
    const job = await knex()('jobs')
      .where({ name: 'ledger.process-xendit-webhook', dedupe_key: `xendit:before-${reference}` })
      .first();
    expect(job).toMatchObject({ status: 'pending', attempts: 1 });
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);

    const charge = await resident.post(e('/portal/online-charges'), { method: 'qris', invoice_ids: [invoiceId] });
    expect(charge.status, charge.text).toBe(201);
    expect(charge.body.reference).toBe(reference);
    await runJobsLater();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    expect(await invoiceStatus(unitId, invoiceId)).toBe('paid');
    expect(await chargeRow(charge.body.id)).toMatchObject({ status: 'paid' });
  });
});
