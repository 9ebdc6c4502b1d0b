import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type ApiResponse, type TestServer } from '../support/server.ts';

/**
 * Money under concurrent clicks: real parallel HTTP requests against one server, on the embedded SQLite file and on
 * PostgreSQL (the hosted instance, READ COMMITTED). Afterwards the books must hold: no invoice paid beyond its total,
 * no negative credit, one payment per transfer proof, one state change per close or reopen, and no 5xx anywhere.
 */
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

interface Backend {
  name: 'sqlite' | 'postgres';
  databaseUrl?: string;
  server: TestServer;
  dispose(): Promise<void>;
}

async function openBackend(name: Backend['name']): Promise<Backend> {
  if (name === 'sqlite') {
    const server = await startTestServer();
    return { name, server, dispose: () => server.close() };
  }
  const database: TestDatabase = await createTestDatabase(inject('pgUrl'));
  const server = await startTestServer({ databaseUrl: database.url });
  return {
    name,
    databaseUrl: database.url,
    server,
    async dispose() {
      await server.close();
      await database.drop();
    },
  };
}

function statuses(responses: ApiResponse[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const r of responses) out[r.status] = (out[r.status] ?? 0) + 1;
  return out;
}

function expectNo5xx(responses: ApiResponse[]) {
  const failed = responses.filter((r) => r.status >= 500).map((r) => `${r.status} ${r.text.slice(0, 200)}`);
  expect(failed).toEqual([]);
}

describe.each(['sqlite', 'postgres'] as const)('money races on %s', (backendName) => {
  let backend: Backend;
  let admin: ApiClient;
  let estateId: string;
  let unitNo = 0;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const knex = () => backend.server.db.knex;

  async function newUnit(): Promise<string> {
    const res = await admin.post(e('/units'), { code: `R-${++unitNo}`, type: 'rumah', occupancy: 'occupied' });
    expect(res.status, res.text).toBe(201);
    return res.body.id;
  }

  /** One 100,000 invoice on each of the given units (a one-off charge). */
  async function charge(unitIds: string[], amount = 100_000): Promise<void> {
    const res = await admin.post(e('/charges'), {
      name: 'Iuran 17 Agustus',
      amount,
      period: '2026-10',
      due_date: '2026-10-20',
      unit_ids: unitIds,
    });
    expect(res.status, res.text).toBe(201);
  }

  const pay = (unitId: string, amount: number, headers?: Record<string, string>) =>
    admin.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: '2026-11-05T03:00:00Z' }, headers);

  /** Every invoice of the unit: what was allocated to it never exceeds what it bills. */
  async function expectUnitBooksHold(unitId: string) {
    const invoices = (await admin.get(e(`/invoices?unit_id=${unitId}&limit=100`))).body.items as Array<{
      total: number;
      paid: number;
      credited: number;
    }>;
    for (const inv of invoices) {
      expect(inv.paid).toBeGreaterThanOrEqual(0);
      expect(inv.paid + inv.credited).toBeLessThanOrEqual(inv.total);
    }
    const balance = (await admin.get(e(`/units/${unitId}/balance`))).body;
    expect(balance.credit).toBeGreaterThanOrEqual(0);
    // Nothing created or lost: what the unit paid (and did not take back) sits on invoices or in credit.
    const payments = (await admin.get(e(`/payments?unit_id=${unitId}&limit=200`))).body.items as Array<{ amount: number; status: string }>;
    const refunded = Number((await knex()('credit_refunds').where({ unit_id: unitId }).sum({ s: 'amount' }))[0].s ?? 0);
    const kept = payments.filter((p) => p.status === 'recorded').reduce((s, p) => s + p.amount, 0);
    const allocated = invoices.reduce((s, i) => s + i.paid, 0);
    expect(allocated + balance.credit + refunded).toBe(kept);
    return { invoices, balance };
  }

  beforeAll(async () => {
    backend = await openBackend(backendName);
    ({ client: admin, estateId } = await setupEstate(backend.server.url));
  });
  afterAll(async () => {
    await backend?.dispose();
  });

  it('80 parallel first payments of the day all succeed with distinct, gapless numbers into one cash account', async () => {
    const units: string[] = [];
    for (let i = 0; i < 8; i++) units.push(await newUnit());
    const responses = await Promise.all(Array.from({ length: 80 }, (_, i) => pay(units[i % units.length], 10_000)));
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 80 });
    const numbers = responses.map((r) => r.body.payment_number as string).sort();
    expect(new Set(numbers).size).toBe(80);
    const seqs = numbers.map((n) => Number(n.slice(11))).sort((a, b) => a - b);
    expect(seqs).toEqual(Array.from({ length: 80 }, (_, i) => i + 1));
    const cashAccounts = await knex()('cashbook_accounts').where({ estate_id: estateId, kind: 'cash' }).count({ n: '*' });
    expect(Number(cashAccounts[0].n)).toBe(1);
    expect((await admin.get(e('/cashbook/verify'))).body.ok).toBe(true);
  });

  it('10 parallel one-off charges in a period without invoices all succeed with distinct numbers', async () => {
    const unit = await newUnit();
    const responses = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        admin.post(e('/charges'), { name: `Iuran ${i}`, amount: 10_000, period: '2026-07', due_date: '2026-07-20', unit_ids: [unit] }),
      ),
    );
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 10 });
    const numbers = (await knex()('invoices').where({ estate_id: estateId, period: '2026-07' }).select('number'))
      .map((r: { number: string }) => r.number)
      .sort();
    expect(numbers).toEqual(Array.from({ length: 10 }, (_, i) => `INV/2026/07/${String(i + 1).padStart(4, '0')}`));
  });

  it('two simultaneous payments to a unit never over-allocate its only invoice', async () => {
    const units: string[] = [];
    for (let i = 0; i < 10; i++) units.push(await newUnit());
    await charge(units);
    const responses = await Promise.all(units.flatMap((u) => [pay(u, 100_000), pay(u, 100_000)]));
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 20 });
    for (const u of units) {
      const { invoices, balance } = await expectUnitBooksHold(u);
      expect(invoices.map((i) => i.paid)).toEqual([100_000]);
      expect(balance.credit).toBe(100_000);
    }
  });

  it('50 concurrent payments over a few units keep every invoice within its total', async () => {
    const units: string[] = [];
    for (let i = 0; i < 5; i++) units.push(await newUnit());
    await charge(units, 150_000);
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => pay(units[i % units.length], 40_000)));
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 50 });
    for (const u of units) {
      const { invoices, balance } = await expectUnitBooksHold(u);
      expect(invoices.map((i) => i.paid)).toEqual([150_000]);
      expect(balance.credit).toBe(10 * 40_000 - 150_000);
    }
  });

  it('10 parallel refunds of a 100,000 credit: one succeeds, the rest answer 409 INSUFFICIENT_CREDIT', async () => {
    const unit = await newUnit();
    expect((await pay(unit, 100_000)).status).toBe(201);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () =>
        admin.post(e(`/units/${unit}/credit-refunds`), { amount: 100_000, method: 'cash', reason: 'Pindah rumah' }),
      ),
    );
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 1, 409: 9 });
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('INSUFFICIENT_CREDIT');
    const { balance } = await expectUnitBooksHold(unit);
    expect(balance.credit).toBe(0);
  });

  it('10 simultaneous verify clicks on one transfer proof record one payment', async () => {
    const unit = await newUnit();
    await charge([unit]);
    const resident = await admin.post(e('/residents'), { name: 'Pak Budi', unit_id: unit, relation: 'owner' });
    expect(resident.status, resident.text).toBe(201);
    const portal = await userWithRole(backend.server.url, admin, estateId, 'resident', { resident_id: resident.body.id });
    const sent = await portal.client.upload(
      e('/portal/transfer-proofs'),
      { amount: '100000', paid_at: '2026-11-06', reference: 'BCA 77' },
      { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
    );
    expect(sent.status, sent.text).toBe(201);
    const responses = await Promise.all(Array.from({ length: 10 }, () => admin.post(e(`/transfer-proofs/${sent.body.id}/verify`), {})));
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 200: 1, 409: 9 });
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('ALREADY_REVIEWED');
    const payments = await knex()('payments').where({ estate_id: estateId, submission_id: sent.body.id });
    expect(payments).toHaveLength(1);
    // The database itself refuses a second payment from the same transfer proof.
    await expect(knex()('payments').insert({ ...payments[0], id: randomUUID(), number: `${payments[0].number}X` })).rejects.toThrow(
      /unique/i,
    );
    const { invoices, balance } = await expectUnitBooksHold(unit);
    expect(invoices.map((i) => i.paid)).toEqual([100_000]);
    expect(balance.credit).toBe(0);
    // A verify racing a reject: exactly one review wins.
    const other = await portal.client.upload(
      e('/portal/transfer-proofs'),
      { amount: '5000', paid_at: '2026-11-06' },
      { file: { filename: 'b.png', content: PNG, type: 'image/png' } },
    );
    const race = await Promise.all([
      admin.post(e(`/transfer-proofs/${other.body.id}/verify`), {}),
      admin.post(e(`/transfer-proofs/${other.body.id}/reject`), { reason: 'Nominal tidak sesuai' }),
      admin.post(e(`/transfer-proofs/${other.body.id}/verify`), {}),
      admin.post(e(`/transfer-proofs/${other.body.id}/reject`), { reason: 'Nominal tidak sesuai' }),
    ]);
    expectNo5xx(race);
    expect(race.filter((r) => r.status === 200)).toHaveLength(1);
    expect(
      await knex()('payments')
        .where({ estate_id: estateId, submission_id: other.body.id })
        .count({ n: '*' })
        .then((r) => Number(r[0].n)),
    ).toBeLessThanOrEqual(1);
  });

  it('10 retries of one verify click with the same Idempotency-Key get the first answer, not a 409', async () => {
    const unit = await newUnit();
    const resident = await admin.post(e('/residents'), { name: 'Bu Sari', unit_id: unit, relation: 'owner' });
    const portal = await userWithRole(backend.server.url, admin, estateId, 'resident', { resident_id: resident.body.id });
    const sent = await portal.client.upload(
      e('/portal/transfer-proofs'),
      { amount: '25000', paid_at: '2026-11-06' },
      { file: { filename: 'b.png', content: PNG, type: 'image/png' } },
    );
    expect(sent.status, sent.text).toBe(201);
    const headers = { 'idempotency-key': `verify-${sent.body.id}` };
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => admin.post(e(`/transfer-proofs/${sent.body.id}/verify`), {}, headers)),
    );
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 200: 10 });
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(await knex()('payments').where({ estate_id: estateId, submission_id: sent.body.id })).toHaveLength(1);
  });

  it('parallel reversals of one payment and parallel voids of one invoice: one wins, the rest answer 409', async () => {
    const unit = await newUnit();
    await charge([unit]);
    const paid = await pay(unit, 150_000);
    expect(paid.status).toBe(201);
    const reversals = await Promise.all(
      Array.from({ length: 10 }, () => admin.post(e(`/payments/${paid.body.id}/reverse`), { reason: 'Salah input' })),
    );
    expectNo5xx(reversals);
    expect(statuses(reversals)).toEqual({ 200: 1, 409: 9 });
    for (const r of reversals.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('ALREADY_REVERSED');
    await expectUnitBooksHold(unit);

    expect((await pay(unit, 60_000)).status).toBe(201);
    const invoice = (await admin.get(e(`/invoices?unit_id=${unit}`))).body.items[0];
    const voids = await Promise.all(
      Array.from({ length: 10 }, () => admin.post(e(`/invoices/${invoice.id}/void`), { reason: 'Salah tagih' })),
    );
    expectNo5xx(voids);
    expect(statuses(voids)).toEqual({ 200: 1, 409: 9 });
    for (const r of voids.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('ALREADY_VOID');
    const { balance } = await expectUnitBooksHold(unit);
    expect(balance.credit).toBe(60_000);
  });

  it('parallel credit notes never lower an invoice below zero; parallel proof uploads leave one proof', async () => {
    const unit = await newUnit();
    await charge([unit]);
    const invoice = (await admin.get(e(`/invoices?unit_id=${unit}`))).body.items[0];
    const notes = await Promise.all(
      Array.from({ length: 10 }, () => admin.post(e(`/invoices/${invoice.id}/credit-notes`), { amount: 60_000, reason: 'Diskon' })),
    );
    expectNo5xx(notes);
    expect(statuses(notes)).toEqual({ 201: 1, 409: 9 });
    for (const r of notes.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('CREDIT_NOTE_TOO_LARGE');
    await expectUnitBooksHold(unit);

    const paid = await pay(unit, 40_000);
    expect(paid.status).toBe(201);
    const uploads = await Promise.all(
      Array.from({ length: 5 }, (_, i) =>
        admin.upload(e(`/payments/${paid.body.id}/proof`), {}, { file: { filename: `bukti-${i}.png`, content: PNG, type: 'image/png' } }),
      ),
    );
    expectNo5xx(uploads);
    expect(statuses(uploads)).toEqual({ 201: 1, 409: 4 });
    expect(await knex()('payment_proofs').where({ estate_id: estateId, owner_table: 'payments', owner_id: paid.body.id })).toHaveLength(1);
  });

  it('a reversal racing a payment on the same unit leaves consistent books', async () => {
    for (let round = 0; round < 5; round++) {
      const unit = await newUnit();
      await charge([unit]);
      const first = await pay(unit, 100_000);
      expect(first.status).toBe(201);
      const race = await Promise.all([
        admin.post(e(`/payments/${first.body.id}/reverse`), { reason: 'Dobel' }),
        pay(unit, 100_000),
        admin.post(e(`/units/${unit}/credit-refunds`), { amount: 100_000, method: 'cash' }),
      ]);
      expectNo5xx(race);
      expect(race[0].status).toBe(200);
      expect(race[1].status).toBe(201);
      await expectUnitBooksHold(unit);
    }
  });

  it('5 parallel closes of one month: one succeeds; then 5 parallel reopens: one succeeds', async () => {
    const closes = await Promise.all(Array.from({ length: 5 }, () => admin.post(e('/cashbook/close'), { period: '2026-09' })));
    expectNo5xx(closes);
    expect(statuses(closes)).toEqual({ 201: 1, 409: 4 });
    for (const r of closes.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('MONTH_ALREADY_CLOSED');
    const reopens = await Promise.all(
      Array.from({ length: 5 }, () => admin.post(e('/cashbook/reopen'), { period: '2026-09', reason: 'Koreksi' })),
    );
    expectNo5xx(reopens);
    expect(statuses(reopens)).toEqual({ 201: 1, 409: 4 });
    for (const r of reopens.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('MONTH_NOT_CLOSED');
    const events = await knex()('cashbook_period_events').where({ estate_id: estateId, period: '2026-09' }).orderBy('created_at');
    expect(events.map((ev: { action: string }) => ev.action)).toEqual(['close', 'reopen']);
    expect(events.map((ev: { change_no: unknown }) => Number(ev.change_no))).toEqual([1, 2]);
    // The database itself refuses a second event for the same step of the month.
    await expect(knex()('cashbook_period_events').insert({ ...events[1], id: randomUUID() })).rejects.toThrow(/unique/i);
    const mixed = await Promise.all([
      admin.post(e('/cashbook/close'), { period: '2026-09' }),
      admin.post(e('/cashbook/reopen'), { period: '2026-09', reason: 'x' }),
      admin.post(e('/cashbook/close'), { period: '2026-09' }),
    ]);
    expectNo5xx(mixed);
    const after = await knex()('cashbook_period_events').where({ estate_id: estateId, period: '2026-09' }).orderBy('created_at');
    // Events alternate: never two closes or two reopens in a row.
    const actions = after.map((ev: { action: string }) => ev.action);
    for (let i = 1; i < actions.length; i++) expect(actions[i]).not.toBe(actions[i - 1]);
  });

  it('10 parallel corrections of one cash-book entry: one reversing entry, the rest answer 409', async () => {
    const account = await admin.post(e('/cashbook/accounts'), { name: 'Kas Kecil', kind: 'cash' });
    expect(account.status, account.text).toBe(201);
    const entry = await admin.post(e('/cashbook/entries'), {
      account_id: account.body.id,
      direction: 'out',
      amount: 75_000,
      category: 'electricity',
      entry_date: '2026-11-03',
      description: 'Listrik pos',
      confirm_below_zero: true,
    });
    expect(entry.status, entry.text).toBe(201);
    const responses = await Promise.all(
      Array.from({ length: 10 }, () => admin.post(e(`/cashbook/entries/${entry.body.id}/reverse`), { reason: 'Salah catat' })),
    );
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 1, 409: 9 });
    for (const r of responses.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('ALREADY_REVERSED');
    expect(await knex()('cashbook_entries').where({ estate_id: estateId, reverses_entry_id: entry.body.id })).toHaveLength(1);
    expect((await admin.get(e('/cashbook/verify'))).body.ok).toBe(true);
  });

  it('a payment dated in a month being closed either lands before the close or is refused', async () => {
    const unit = await newUnit();
    const race = await Promise.all([
      ...Array.from({ length: 5 }, () =>
        admin.post(e('/payments'), { unit_id: unit, amount: 1_000, method: 'cash', paid_at: '2026-08-15T03:00:00Z' }),
      ),
      admin.post(e('/cashbook/close'), { period: '2026-08' }),
      ...Array.from({ length: 5 }, () =>
        admin.post(e('/payments'), { unit_id: unit, amount: 1_000, method: 'cash', paid_at: '2026-08-15T03:00:00Z' }),
      ),
    ]);
    expectNo5xx(race);
    const closedAt = (await knex()('cashbook_period_events').where({ estate_id: estateId, period: '2026-08', action: 'close' }).first())
      .created_at as string;
    const lateEntries = await knex()('cashbook_entries')
      .where({ estate_id: estateId })
      .where('entry_date', 'like', '2026-08-%')
      .where('created_at', '>', closedAt);
    expect(lateEntries).toEqual([]);
  });

  it('50 identical payments with one Idempotency-Key: one payment, 50 identical answers', async () => {
    const unit = await newUnit();
    await charge([unit]);
    const headers = { 'idempotency-key': `race-${backendName}-${Date.now()}` };
    const before = Number((await knex()('payments').where({ estate_id: estateId }).count({ n: '*' }))[0].n);
    const responses = await Promise.all(Array.from({ length: 50 }, () => pay(unit, 100_000, headers)));
    expectNo5xx(responses);
    expect(statuses(responses)).toEqual({ 201: 50 });
    expect(new Set(responses.map((r) => r.text)).size).toBe(1);
    expect(Number((await knex()('payments').where({ estate_id: estateId }).count({ n: '*' }))[0].n)).toBe(before + 1);
    const { invoices } = await expectUnitBooksHold(unit);
    expect(invoices.map((i) => i.paid)).toEqual([100_000]);
  });

  it('the same billing period started twice at once produces one set of invoices', async () => {
    const fee = await admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 100_000, basis: 'flat', effective_from: '2026-01' });
    expect(fee.status, fee.text).toBe(201);
    const servers: TestServer[] = [backend.server];
    if (backend.databaseUrl) {
      // A second server process on the same database: fresh modules, so nothing in memory is shared with the first.
      vi.resetModules();
      const support = (await import('../support/server.ts')) as typeof import('../support/server.ts');
      servers.push(await support.startTestServer({ databaseUrl: backend.databaseUrl }));
    }
    try {
      const runs = await Promise.all(
        Array.from({ length: 4 }, (_, i) => {
          const c = new ApiClient(servers[i % servers.length].url);
          c.cookie = admin.cookie;
          c.csrf = admin.csrf;
          return c.post(e('/billing-runs'), { period: '2026-12', due_date: '2026-12-10' });
        }),
      );
      expectNo5xx(runs);
      for (const r of runs) expect([201, 409]).toContain(r.status);
      for (const r of runs.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('RUN_IN_PROGRESS');
      const units = Number((await knex()('units').where({ estate_id: estateId }).whereNull('deleted_at').count({ n: '*' }))[0].n);
      const invoices = await knex()('invoices').where({ estate_id: estateId, period: '2026-12', kind: 'dues' }).select('unit_id', 'number');
      expect(invoices).toHaveLength(units);
      expect(new Set(invoices.map((i: { unit_id: string }) => i.unit_id)).size).toBe(units);
      const created = runs.filter((r) => r.status === 201).reduce((s, r) => s + Number(r.body.invoices_created), 0);
      expect(created).toBe(units);
    } finally {
      for (const s of servers.slice(1)) await s.close();
    }
  });
});
