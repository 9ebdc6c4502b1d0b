import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/** The cash book, its chain check and receipts on the hosted-instance database (`pgUrl` from the global setup). */
let pgdb: TestDatabase;
let server: TestServer;
let admin: ApiClient;
let estateId: string;
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  server = await startTestServer({ databaseUrl: pgdb.url });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  await pgdb?.drop();
});

describe('cash book and receipts on PostgreSQL', () => {
  it('records, transfers, posts payments, closes a month and detects a hand edit', async () => {
    const cash = (
      await admin.post(e('/cashbook/accounts'), { name: 'Kas', kind: 'cash', opening_balance: 1_000_000, opening_date: '2026-10-01' })
    ).body.id;
    const bank = (await admin.post(e('/cashbook/accounts'), { name: 'Bank', kind: 'bank' })).body.id;
    const out = await admin.post(e('/cashbook/entries'), {
      account_id: cash,
      direction: 'out',
      amount: 300_000,
      category: 'electricity',
      entry_date: '2026-10-03',
      description: 'Listrik',
    });
    expect(out.status).toBe(201);
    expect(
      (
        await admin.post(e('/cashbook/transfers'), {
          from_account_id: cash,
          to_account_id: bank,
          amount: 200_000,
          entry_date: '2026-10-04',
        })
      ).status,
    ).toBe(201);

    const unit = (await admin.post(e('/units'), { code: 'B-7', type: 'rumah', occupancy: 'occupied' })).body.id;
    const payment = await admin.post(e('/payments'), {
      unit_id: unit,
      amount: 450_000,
      method: 'ewallet',
      paid_at: '2026-11-02T03:00:00.000Z',
    });
    expect(payment.status, payment.text).toBe(201);

    const accounts = Object.fromEntries((await admin.get(e('/cashbook/accounts'))).body.items.map((a: any) => [a.kind, a]));
    expect(accounts.cash.balance).toBe(500_000);
    expect(accounts.bank.balance).toBe(200_000);
    expect(accounts.ewallet.balance).toBe(450_000);
    const oct = (await admin.get(e('/cashbook/accounts?period=2026-10'))).body.items.find((a: any) => a.id === cash);
    expect(oct).toMatchObject({ period_opening: 0, period_in: 1_000_000, period_out: 500_000, period_closing: 500_000 });

    expect((await admin.post(e('/cashbook/close'), { period: '2026-10' })).status).toBe(201);
    const refused = await admin.post(e('/cashbook/entries'), {
      account_id: cash,
      direction: 'in',
      amount: 1,
      category: 'donation',
      entry_date: '2026-10-20',
      description: 'x',
    });
    expect(refused.body.error.code).toBe('MONTH_CLOSED');

    const receipt = await admin.get(e(`/payments/${payment.body.id}/receipt`));
    expect(receipt.status).toBe(200);
    const verify = await (await fetch(receipt.body.verify_url)).json();
    expect(verify).toMatchObject({ valid: true, unit_code: 'B-7', amount: 450_000 });

    expect((await admin.get(e('/cashbook/verify'))).body).toMatchObject({ ok: true, checked: 5 });
    await server.db.knex('cashbook_entries').where({ id: out.body.id }).update({ description: 'Listrik dan air' });
    expect((await admin.get(e('/cashbook/verify'))).body.first_broken).toEqual({
      seq: out.body.seq,
      entry_id: out.body.id,
      reason: 'hash_mismatch',
    });
  });
});
