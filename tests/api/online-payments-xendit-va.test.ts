import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { allJobs } from '../../server/jobs/registry.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { planReconciliation, RECONCILE_EVERY_MS, VA_SWEEP_EVERY_SLOTS } from '../../server/ledger/online/reconcile.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type ApiResponse, type TestServer } from '../support/server.ts';

/**
 * Xendit's fixed virtual accounts per unit and e-wallet charges, against the local fake, on SQLite and on PostgreSQL
 * (where concurrent requests and deliveries race for real).
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

describe.each(['sqlite', 'postgres'] as const)('Xendit virtual accounts and e-wallets on %s', (backendName) => {
  let server: TestServer;
  let dispose: () => Promise<void>;
  let fake: FakeXendit;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let estateId: string;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => server.db.knex;
  const webhookUrl = () => `${server.url}/api/v1/webhooks/xendit`;
  const runJobs = () => server.jobs.runDue();

  /** A unit with one resident who signs in to the portal, and one open invoice per amount, oldest first. */
  async function residentWithInvoices(amounts: number[]) {
    const code = `V-${++unitNo}`;
    const unit = (await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' })).body;
    const resident = (await admin.post(e('/residents'), { name: `Warga ${code}`, unit_id: unit.id })).body;
    const { client } = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: resident.id });
    for (const [i, amount] of amounts.entries()) {
      const month = String(9 + i).padStart(2, '0');
      const charged = await admin.post(e('/charges'), {
        name: 'Iuran Keamanan',
        amount,
        period: `2026-${month}`,
        due_date: `2026-${month}-20`,
        unit_ids: [unit.id],
      });
      expect(charged.status, charged.text).toBe(201);
    }
    const invoices = (await admin.get(e(`/invoices?unit_id=${unit.id}`))).body.items as Array<{ id: string; period: string }>;
    invoices.sort((a, b) => a.period.localeCompare(b.period));
    return { unitId: unit.id as string, resident: client, invoiceIds: invoices.map((i) => i.id) };
  }

  async function invoiceStatuses(unitId: string, ids: string[]): Promise<string[]> {
    const items = (await admin.get(e(`/invoices?unit_id=${unitId}`))).body.items as Array<{ id: string; status: string }>;
    return ids.map((id) => items.find((i) => i.id === id)!.status);
  }

  const paymentsOfUnit = (unitId: string) =>
    knex()('payments')
      .where({ estate_id: estateId, unit_id: unitId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);

  beforeAll(async () => {
    fake = await startFakeXendit(SECRET_KEY);
    ({ server, dispose } = await openServer(backendName));
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    const saved = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      base_url: fake.url,
      methods: ['qris', 'va', 'ewallet'],
      va_banks: ['BCA', 'BRI'],
      ewallet_channels: ['OVO', 'DANA', 'SHOPEEPAY'],
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

  it('offers the chosen banks and e-wallets, and refuses va or ewallet without any', async () => {
    expect((await admin.get(e('/settings/payment-gateway'))).body).toMatchObject({
      methods: ['qris', 'va', 'ewallet'],
      va_banks: ['BCA', 'BRI'],
      ewallet_channels: ['OVO', 'DANA', 'SHOPEEPAY'],
    });
    const { resident } = await residentWithInvoices([50_000]);
    expect((await resident.get(e('/portal/online-payment'))).body).toMatchObject({
      enabled: true,
      methods: ['qris', 'va', 'ewallet'],
      va_banks: ['BCA', 'BRI'],
      ewallet_channels: ['OVO', 'DANA', 'SHOPEEPAY'],
    });
    const bankless = await treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      methods: ['va'],
      fee_bearer: 'estate',
    });
    expect(bankless.status).toBe(400);
    expect(bankless.text).toContain('va_banks');
    // A bank the estate did not choose is not made.
    const bni = await resident.post(e('/portal/virtual-accounts'), { bank: 'BNI' });
    expect(bni.status).toBe(409);
    expect(bni.body.error.code).toBe('GATEWAY_METHOD_DISABLED');
    expect((await resident.post(e('/portal/virtual-accounts'), { bank: 'JAGO' })).status).toBe(400);
  });

  it('makes one virtual account per unit and bank, however many ask at once, and the unit keeps its number', async () => {
    const { unitId, resident } = await residentWithInvoices([75_000]);
    fake.vaDelayMs = 300;
    const asked = await Promise.all([
      ...Array.from({ length: 4 }, () => resident.post(e('/portal/virtual-accounts'), { bank: 'BCA' })),
      ...Array.from({ length: 2 }, () => treasurer.post(e(`/units/${unitId}/virtual-accounts`), { bank: 'BCA' })),
    ]);
    fake.vaDelayMs = 0;
    expectNo5xx(asked);
    expect(asked.map((r) => r.status)).toEqual(Array(6).fill(200));
    const numbers = new Set(asked.map((r) => r.body.account_number));
    expect(numbers.size).toBe(1);
    const [number] = numbers;
    expect(number).toMatch(/^\d{10,}$/);
    const atXendit = [...fake.virtualAccounts.values()].filter(
      (v) => v.virtual_account.channel_code === 'BCA' && v.description?.includes('V-'),
    );
    expect(atXendit.filter((v) => v.virtual_account.channel_properties.virtual_account_number === number)).toHaveLength(1);
    expect(
      fake.calls('POST', /^\/v2\/payment_methods$/).filter((c) => (c.body as any).reference_id === atXendit.at(-1)!.reference_id),
    ).toHaveLength(1);
    expect(await knex()('unit_virtual_accounts').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(1);

    // Asked again later it is the same number; another bank is another account.
    const again = await resident.post(e('/portal/virtual-accounts'), { bank: 'BCA' });
    expect(again.body).toMatchObject({ bank: 'BCA', status: 'active', account_number: number });
    const bri = await resident.post(e('/portal/virtual-accounts'), { bank: 'BRI' });
    expect(bri.body.account_number).not.toBe(number);

    const listed = await resident.get(e('/portal/virtual-accounts'));
    expect(listed.body).toMatchObject({ unit_id: unitId, amount_due: 75_000 });
    expect(listed.body.items.map((v: { bank: string }) => v.bank)).toEqual(['BCA', 'BRI']);
    expect((await treasurer.get(e(`/units/${unitId}/virtual-accounts`))).body.items).toHaveLength(2);
    // Another unit's resident sees only their own unit.
    const other = await residentWithInvoices([10_000]);
    expect((await other.resident.get(e(`/portal/virtual-accounts?unit_id=${unitId}`))).status).toBe(404);
    expect((await other.resident.get(e('/portal/virtual-accounts'))).body.items).toEqual([]);
  });

  it('two transfers become two payments, oldest invoice first; a duplicate callback records nothing more', async () => {
    const { unitId, resident, invoiceIds } = await residentWithInvoices([100_000, 100_000]);
    const va = (await resident.post(e('/portal/virtual-accounts'), { bank: 'BRI' })).body;
    const accountId = [...fake.virtualAccounts.values()].find(
      (v) => v.virtual_account.channel_properties.virtual_account_number === va.account_number,
    )!.id;

    const first = fake.transferToVa(accountId, 100_000);
    const deliveries = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(first), { token: CALLBACK_TOKEN, webhookId: `va-wh-${first.id}-${i}` }),
      ),
    );
    expect(deliveries.map((d) => d.status)).toEqual(Array(5).fill(200));
    await runJobs();
    expect(await invoiceStatuses(unitId, invoiceIds)).toEqual(['paid', 'unpaid']);

    const second = fake.transferToVa(accountId, 100_000);
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(second), { token: CALLBACK_TOKEN });
    // The same callback again under its own id, and once more after processing: still the one payment.
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(second), { token: CALLBACK_TOKEN });
    await runJobs();
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(second), { token: CALLBACK_TOKEN, webhookId: 'late-redelivery' });
    await runJobs();

    const payments = await paymentsOfUnit(unitId);
    expect(payments.map((p) => [p.method, Number(p.amount), p.reference])).toEqual([
      ['bank_transfer', 100_000, first.id],
      ['bank_transfer', 100_000, second.id],
    ]);
    expect(await invoiceStatuses(unitId, invoiceIds)).toEqual(['paid', 'paid']);
    expect(await knex()('virtual_account_transfers').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(2);
    const entries = await knex()('cashbook_entries').whereIn(
      'source_id',
      payments.map((p) => p.id),
    );
    // Each transfer's money in, and the bank's fee the estate bears out (online-payments-xendit-va-fee.test.ts).
    expect(entries.map((x) => x.source_type).sort()).toEqual(['gateway_fee', 'gateway_fee', 'payment', 'payment']);
    const account = await knex()('cashbook_accounts').where({ id: entries[0].account_id }).first();
    expect(account.name).toBe('Saldo Xendit');
    expect((await resident.get(e('/portal/virtual-accounts'))).body.amount_due).toBe(0);
  });

  it('a transfer whose callback never came is found by the hourly sweep and recorded once', async () => {
    const { unitId, resident, invoiceIds } = await residentWithInvoices([90_000]);
    const va = (await resident.post(e('/portal/virtual-accounts'), { bank: 'BRI' })).body;
    const accountId = [...fake.virtualAccounts.values()].find(
      (v) => v.virtual_account.channel_properties.virtual_account_number === va.account_number,
    )!.id;
    const lost = fake.transferToVa(accountId, 90_000);
    const hourly = RECONCILE_EVERY_MS * VA_SWEEP_EVERY_SLOTS;
    // Not on the hourly slot: only charges are asked about, and this estate may have none open.
    const offSlot = new Date(Math.floor(Date.now() / hourly) * hourly + RECONCILE_EVERY_MS);
    await planReconciliation(server.app, offSlot);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    // On the hourly slot the estate's accounts are swept; a second sweep finds nothing new.
    const onSlot = new Date(Math.ceil(Date.now() / hourly) * hourly);
    await planReconciliation(server.app, onSlot);
    await new JobRunner(server.app, { jobs: allJobs, now: () => new Date(onSlot.getTime() + 1000), workerId: 'sweep' }).runDue();
    expect((await paymentsOfUnit(unitId)).map((p) => [p.method, Number(p.amount), p.reference])).toEqual([
      ['bank_transfer', 90_000, lost.id],
    ]);
    expect(await invoiceStatuses(unitId, invoiceIds)).toEqual(['paid']);
    await planReconciliation(server.app, new Date(onSlot.getTime() + hourly));
    await new JobRunner(server.app, { jobs: allJobs, now: () => new Date(onSlot.getTime() + hourly + 1000), workerId: 'sweep-2' }).runDue();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
    // The callback arriving after all changes nothing.
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(lost), { token: CALLBACK_TOKEN });
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(1);
  });

  it('a transfer when nothing is owed becomes credit and the treasurer is told', async () => {
    const { unitId, resident, invoiceIds } = await residentWithInvoices([40_000]);
    const va = (await resident.post(e('/portal/virtual-accounts'), { bank: 'BCA' })).body;
    const accountId = [...fake.virtualAccounts.values()].find(
      (v) => v.virtual_account.channel_properties.virtual_account_number === va.account_number,
    )!.id;
    const cash = await treasurer.post(e('/payments'), {
      unit_id: unitId,
      amount: 40_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(cash.status, cash.text).toBe(201);

    const transfer = fake.transferToVa(accountId, 60_000);
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(transfer), { token: CALLBACK_TOKEN });
    await runJobs();
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(2);
    expect(Number(payments[1].amount)).toBe(60_000);
    const notices = await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatchObject({ kind: 'overpayment', payment_id: payments[1].id });
    expect(Number(notices[0].amount)).toBe(60_000);
    const balance = await resident.get(e('/portal/virtual-accounts'));
    expect(balance.body.amount_due).toBe(0);
  });

  it('a forged token, or a transfer Xendit does not know, records nothing', async () => {
    const { unitId, resident } = await residentWithInvoices([30_000]);
    const va = (await resident.post(e('/portal/virtual-accounts'), { bank: 'BRI' })).body;
    const accountId = [...fake.virtualAccounts.values()].find(
      (v) => v.virtual_account.channel_properties.virtual_account_number === va.account_number,
    )!.id;
    const real = fake.transferToVa(accountId, 30_000);
    const events = await knex()('webhook_events').count({ n: '*' }).first();
    const forged = await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(real), { token: 'not-the-token' });
    expect(forged.status).toBe(401);
    expect(forged.body.error.code).toBe('WEBHOOK_TOKEN_INVALID');
    expect(await knex()('webhook_events').count({ n: '*' }).first()).toEqual(events);

    // The right token but a payment Xendit has never seen: the callback is not believed, nothing is recorded.
    const invented = { ...fake.vaPaymentSucceededBody(real) };
    invented.data = { ...invented.data, id: 'py-invented', amount: 5_000_000 };
    const sent = await fake.sendWebhook(webhookUrl(), invented, { token: CALLBACK_TOKEN });
    expect(sent.status).toBe(200);
    await runJobs();
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
  });

  it('an e-wallet charge with a redirect gives the checkout page, and the paid callback pays the bill', async () => {
    const { unitId, resident, invoiceIds } = await residentWithInvoices([85_000]);
    const asked = await Promise.all(
      Array.from({ length: 3 }, () =>
        resident.post(e('/portal/online-charges'), { method: 'ewallet', channel: 'DANA', invoice_ids: invoiceIds }),
      ),
    );
    expectNo5xx(asked);
    expect(new Set(asked.map((r) => r.body.id)).size).toBe(1);
    const charge = asked[0].body;
    expect(charge).toMatchObject({ method: 'ewallet', channel: 'DANA', status: 'pending', amount: 85_000, qr_string: null });
    expect(charge.checkout_url).toMatch(new RegExp(`^${fake.url}/checkout/pr-.*mobile=1$`));
    const call = fake.calls('POST', /^\/payment_requests$/).find((c) => (c.body as any).reference_id === charge.reference)!;
    expect((call.body as any).payment_method.ewallet.channel_properties.success_return_url).toBe(`${server.url}/portal`);

    const pr = fake.pay(fake.byReference(charge.reference)!.id);
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN });
    await runJobs();
    const payments = await paymentsOfUnit(unitId);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ method: 'ewallet', source: 'portal' });
    expect(await invoiceStatuses(unitId, invoiceIds)).toEqual(['paid']);
    expect((await resident.get(e(`/portal/online-charges/${charge.id}`))).body).toMatchObject({ status: 'paid', checkout_url: null });

    // A wallet the estate did not choose, or a channel on QRIS, is refused.
    const linkaja = await resident.post(e('/portal/online-charges'), { method: 'ewallet', channel: 'LINKAJA', amount: 10_000 });
    expect(linkaja.status).toBe(409);
    expect(linkaja.body.error.code).toBe('GATEWAY_METHOD_DISABLED');
    expect((await resident.post(e('/portal/online-charges'), { method: 'ewallet', amount: 10_000 })).status).toBe(400);
    expect((await resident.post(e('/portal/online-charges'), { method: 'qris', channel: 'DANA', amount: 10_000 })).status).toBe(400);
    expect((await resident.post(e('/portal/online-charges'), { method: 'va', amount: 10_000 })).status).toBe(400);
  });

  it('a failed or expired e-wallet charge records nothing, and the next request makes a new charge', async () => {
    const { unitId, resident, invoiceIds } = await residentWithInvoices([45_000]);
    const charge = (await resident.post(e('/portal/online-charges'), { method: 'ewallet', channel: 'SHOPEEPAY', invoice_ids: invoiceIds }))
      .body;
    const pr = fake.fail(fake.byReference(charge.reference)!.id);
    // The callback says succeeded; Xendit, asked again, says failed: that is what counts.
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN });
    await runJobs();
    expect(await knex()('online_charges').where({ id: charge.id }).first()).toMatchObject({ status: 'failed' });
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);

    const next = (await resident.post(e('/portal/online-charges'), { method: 'ewallet', channel: 'SHOPEEPAY', invoice_ids: invoiceIds }))
      .body;
    expect(next.id).not.toBe(charge.id);
    expect(next.status).toBe('pending');
    fake.expire(fake.byReference(next.reference)!.id);
    await fake.sendWebhook(webhookUrl(), fake.paymentFailedBody(fake.byReference(next.reference)!), { token: CALLBACK_TOKEN });
    await runJobs();
    expect(await knex()('online_charges').where({ id: next.id }).first()).toMatchObject({ status: 'expired' });
    expect(await paymentsOfUnit(unitId)).toHaveLength(0);
    expect(await invoiceStatuses(unitId, invoiceIds)).toEqual(['unpaid']);
  });

  it('OVO pushes to the phone number given, with nothing to open, and its payment is recorded', async () => {
    const { unitId, resident, invoiceIds } = await residentWithInvoices([65_000]);
    const noPhone = await resident.post(e('/portal/online-charges'), { method: 'ewallet', channel: 'OVO', invoice_ids: invoiceIds });
    expect(noPhone.status).toBe(400);
    expect(noPhone.text).toContain('mobile_number');
    const badPhone = await resident.post(e('/portal/online-charges'), {
      method: 'ewallet',
      channel: 'OVO',
      mobile_number: '12345',
      invoice_ids: invoiceIds,
    });
    expect(badPhone.status).toBe(400);

    const created = await resident.post(e('/portal/online-charges'), {
      method: 'ewallet',
      channel: 'OVO',
      mobile_number: '0812-3456 7890'.replace(/[- ]/g, ''),
      invoice_ids: invoiceIds,
    });
    expect(created.status, created.text).toBe(201);
    expect(created.body).toMatchObject({ channel: 'OVO', status: 'pending', checkout_url: null, qr_string: null });
    const pr = fake.byReference(created.body.reference)!;
    expect(pr.payment_method.ewallet).toEqual({ channel_code: 'OVO', channel_properties: { mobile_number: '+6281234567890' } });
    // The number is sent to Xendit only, never kept.
    expect(JSON.stringify(await knex()('online_charges').where({ id: created.body.id }).first())).not.toContain('81234567890');

    fake.pay(pr.id);
    await fake.sendWebhook(webhookUrl(), fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN });
    await runJobs();
    expect(await invoiceStatuses(unitId, invoiceIds)).toEqual(['paid']);
    const [payment] = await paymentsOfUnit(unitId);
    expect(payment).toMatchObject({ method: 'ewallet' });
    expect(payment.notes).toContain('OVO');
  });
});
