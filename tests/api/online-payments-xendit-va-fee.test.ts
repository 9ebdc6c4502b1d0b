import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyCashbookChain } from '../../server/cashbook/verify.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { planReconciliation, RECONCILE_EVERY_MS, VA_SWEEP_EVERY_SLOTS } from '../../server/ledger/online/reconcile.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * The bank's fee on transfers into a unit's fixed virtual account, against the local Xendit fake, on SQLite and on
 * PostgreSQL: borne by the estate it is one cash-book expense per Xendit payment, however many callbacks, sweeps and
 * job runners find the transfer at once; borne by the resident the portal asks for the dues plus the fee and the
 * transfer pays the dues.
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

describe.each(['sqlite', 'postgres'] as const)('fees on virtual-account transfers on %s', (backendName) => {
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
  const hourly = RECONCILE_EVERY_MS * VA_SWEEP_EVERY_SLOTS;

  const settings = (over: Record<string, unknown> = {}) =>
    treasurer.put(e('/settings/payment-gateway'), {
      provider: 'xendit',
      enabled: true,
      base_url: fake.url,
      methods: ['qris', 'va'],
      va_banks: ['BCA', 'BRI'],
      fee_bearer: 'estate',
      ...over,
    });

  /** A unit with a resident who signs in, one open invoice per amount, and its account at `bank` (Xendit's id too). */
  async function unitWithAccount(amounts: number[], bank: 'BCA' | 'BRI') {
    const code = `F-${++unitNo}`;
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
    const va = await client.post(e('/portal/virtual-accounts'), { bank });
    expect(va.status, va.text).toBe(200);
    const gatewayId = [...fake.virtualAccounts.values()].find(
      (v) => v.virtual_account.channel_properties.virtual_account_number === va.body.account_number,
    )!.id;
    return { unitId: unit.id as string, resident: client, va: va.body, gatewayId };
  }

  const paymentsOfUnit = (unitId: string) =>
    knex()('payments')
      .where({ estate_id: estateId, unit_id: unitId })
      .orderBy([{ column: 'created_at' }, { column: 'id' }]);
  const entriesOf = (paymentIds: string[]) =>
    knex()('cashbook_entries').where({ estate_id: estateId }).whereIn('source_id', paymentIds).orderBy('seq');
  const invoiceStatuses = async (unitId: string) =>
    ((await admin.get(e(`/invoices?unit_id=${unitId}`))).body.items as Array<{ period: string; status: string }>)
      .sort((a, b) => a.period.localeCompare(b.period))
      .map((i) => i.status);
  /** Several job runners at once, as on a hosted instance with more than one process. */
  const runnersAtOnce = (n: number, at = new Date()) =>
    Promise.all(
      Array.from({ length: n }, (_, i) =>
        new JobRunner(server.app, { jobs: allJobs, now: () => at, workerId: `fee-${i}-${Math.random()}` }).runDue(),
      ),
    );

  beforeAll(async () => {
    fake = await startFakeXendit(SECRET_KEY);
    ({ server, dispose } = await openServer(backendName));
    ({ client: admin, estateId } = await setupEstate(server.url));
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    const saved = await settings({ secret_key: SECRET_KEY, callback_token: CALLBACK_TOKEN });
    expect(saved.status, saved.text).toBe(200);
  });

  afterAll(async () => {
    await dispose();
    await fake.close();
  });

  it('the treasurer sets the fee per bank; a save without it keeps it; nonsense is refused and nothing changes', async () => {
    expect((await admin.get(e('/settings/payment-gateway'))).body.va_fees).toEqual({
      BCA: 4_000,
      BNI: 4_000,
      BRI: 4_000,
      MANDIRI: 4_000,
      PERMATA: 4_000,
    });
    const set = await settings({ va_fees: { BCA: 5_550 } });
    expect(set.status, set.text).toBe(200);
    expect(set.body.va_fees).toMatchObject({ BCA: 5_550, BRI: 4_000 });
    // A client that does not send the fees (an older screen) leaves them as they are.
    expect((await settings()).body.va_fees.BCA).toBe(5_550);
    for (const bad of [{ BCA: -1 }, { BCA: 1.5 }, { BCA: 50_001 }, { JAGO: 1_000 }, { BCA: '4000' }, ['BCA']]) {
      const refused = await settings({ va_fees: bad });
      expect(refused.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await admin.get(e('/settings/payment-gateway'))).body.va_fees.BCA).toBe(5_550);
    const resident = (await unitWithAccount([10_000], 'BCA')).resident;
    expect(
      (
        await resident.put(e('/settings/payment-gateway'), {
          provider: 'xendit',
          enabled: true,
          methods: ['qris'],
          fee_bearer: 'estate',
          va_fees: { BCA: 0 },
        })
      ).status,
    ).toBe(403);
  });

  it('estate bears: duplicate callbacks processed at once make one payment of the whole transfer and one fee', async () => {
    const { unitId, resident, va, gatewayId } = await unitWithAccount([100_000], 'BCA');
    expect(va.fee_amount).toBe(0);
    const listed = (await resident.get(e('/portal/virtual-accounts'))).body;
    expect(listed).toMatchObject({ amount_due: 100_000, fee_bearer: 'estate' });
    expect(listed.items[0].fee_amount).toBe(0);

    const transfer = fake.transferToVa(gatewayId, 100_000);
    const sent = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(transfer), {
          token: CALLBACK_TOKEN,
          webhookId: `fee-${transfer.id}-${i}`,
        }),
      ),
    );
    expect(sent.map((s) => s.status)).toEqual(Array(6).fill(200));
    await runnersAtOnce(4);

    const payments = await paymentsOfUnit(unitId);
    expect(payments.map((p) => [p.method, Number(p.amount), p.reference])).toEqual([['bank_transfer', 100_000, transfer.id]]);
    expect(await invoiceStatuses(unitId)).toEqual(['paid']);
    const entries = await entriesOf([payments[0].id]);
    expect(entries.map((x) => [x.source_type, x.direction, Number(x.amount), x.category])).toEqual([
      ['payment', 'in', 100_000, expect.any(String)],
      ['gateway_fee', 'out', 5_550, 'gateway_fee'],
    ]);
    expect(entries[1].account_id).toBe(entries[0].account_id);
    expect((await knex()('cashbook_accounts').where({ id: entries[1].account_id }).first()).name).toBe('Saldo Xendit');
    expect(entries[1].entry_date).toBe(entries[0].entry_date);
    expect((await verifyCashbookChain(knex(), estateId)).ok).toBe(true);
  });

  it('estate bears: the callback and the hourly sweep finding the same transfer together book one fee', async () => {
    const { unitId, gatewayId } = await unitWithAccount([90_000], 'BRI');
    const transfer = fake.transferToVa(gatewayId, 90_000);
    const onSlot = new Date(Math.ceil(Date.now() / hourly) * hourly);
    await planReconciliation(server.app, onSlot);
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(transfer), { token: CALLBACK_TOKEN });
    await runnersAtOnce(3, new Date(onSlot.getTime() + 1000));
    // And once more: a later sweep and a late redelivery find it recorded.
    await planReconciliation(server.app, new Date(onSlot.getTime() + hourly));
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(transfer), { token: CALLBACK_TOKEN, webhookId: 'late' });
    await runnersAtOnce(2, new Date(onSlot.getTime() + hourly + 1000));

    const payments = await paymentsOfUnit(unitId);
    expect(payments.map((p) => Number(p.amount))).toEqual([90_000]);
    const fees = await knex()('cashbook_entries').where({ estate_id: estateId, source_type: 'gateway_fee', source_id: payments[0].id });
    expect(fees.map((f) => Number(f.amount))).toEqual([4_000]);
    expect((await verifyCashbookChain(knex(), estateId)).ok).toBe(true);
  });

  it('resident bears: the portal asks for the dues plus the bank fee, and that transfer pays the bill with no expense', async () => {
    expect((await settings({ fee_bearer: 'resident' })).status).toBe(200);
    const { unitId, resident, va, gatewayId } = await unitWithAccount([150_000, 150_000], 'BCA');
    expect(va.fee_amount).toBe(5_550);
    const listed = (await resident.get(e('/portal/virtual-accounts'))).body;
    expect(listed).toMatchObject({ amount_due: 300_000, fee_bearer: 'resident' });
    expect(listed.items.map((i: { bank: string; fee_amount: number }) => [i.bank, i.fee_amount])).toEqual([['BCA', 5_550]]);
    expect((await treasurer.get(e(`/units/${unitId}/virtual-accounts`))).body.items[0].fee_amount).toBe(5_550);

    const transfer = fake.transferToVa(gatewayId, 150_000 + 5_550);
    await Promise.all(
      Array.from({ length: 3 }, (_, i) =>
        fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(transfer), { token: CALLBACK_TOKEN, webhookId: `res-${i}` }),
      ),
    );
    await runnersAtOnce(3);
    const payments = await paymentsOfUnit(unitId);
    expect(payments.map((p) => [Number(p.amount), p.reference])).toEqual([[150_000, transfer.id]]);
    expect(payments[0].notes).toContain('5550');
    expect(await invoiceStatuses(unitId)).toEqual(['paid', 'unpaid']);
    const entries = await entriesOf([payments[0].id]);
    expect(entries.map((x) => [x.source_type, Number(x.amount)])).toEqual([['payment', 150_000]]);
    // The transfer row keeps what arrived at the bank; no notice, since nothing was left over.
    const row = await knex()('virtual_account_transfers').where({ estate_id: estateId, gateway_payment_id: transfer.id }).first();
    expect(Number(row.amount)).toBe(155_550);
    expect(await knex()('ledger_notices').where({ estate_id: estateId, unit_id: unitId })).toHaveLength(0);
    expect((await resident.get(e('/portal/virtual-accounts'))).body.amount_due).toBe(150_000);

    // A transfer no larger than the fee cannot carry it: recorded whole, and that one fee is the estate's.
    const tiny = fake.transferToVa(gatewayId, 5_000);
    await fake.sendWebhook(webhookUrl(), fake.vaPaymentSucceededBody(tiny), { token: CALLBACK_TOKEN });
    await runnersAtOnce(1);
    const after = await paymentsOfUnit(unitId);
    expect(after.map((p) => Number(p.amount))).toEqual([150_000, 5_000]);
    const tinyFees = await knex()('cashbook_entries').where({ estate_id: estateId, source_type: 'gateway_fee', source_id: after[1].id });
    expect(tinyFees.map((f) => Number(f.amount))).toEqual([5_550]);
    expect((await verifyCashbookChain(knex(), estateId)).ok).toBe(true);
    expect((await settings({ fee_bearer: 'estate' })).status).toBe(200);
  });
});
