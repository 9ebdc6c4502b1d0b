import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * An invoice paid twice while the sites were apart: online on the hosted instance (PostgreSQL, `pgUrl`) and in cash
 * at the office desktop (SQLite). After sync, in either order of the batches, both sites hold both payments, the
 * invoice is paid once, the excess is the unit's credit, the treasurer has one 'overpayment' notice naming the
 * payment whose money became credit (the later allocation id), and every compared table is identical.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

const COMPARED = ['invoices', 'payments', 'payment_allocations', 'credit_movements', 'ledger_notices'];

function canonicalRows(rows: Record<string, unknown>[]): Record<string, unknown>[] {
  return rows
    .map((row) =>
      Object.fromEntries(
        Object.entries(row).map(([k, v]) => [
          k,
          v === true ? 1 : v === false ? 0 : typeof v === 'string' && /^-?\d{1,15}$/.test(v) && !v.startsWith('0') ? Number(v) : v,
        ]),
      ),
    )
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}
const rowsOf = async (server: TestServer, table: string) =>
  canonicalRows(await db(server)(table).where({ estate_id: estateId }).select('*'));

async function sync() {
  const run = await office.post(e('/sync/run'));
  expect(run.status, run.text).toBe(200);
  expect(run.body.ok, run.text).toBe(true);
  return run.body;
}

/** Sync until nothing moves either way (notices raised while applying travel in the next cycle). */
async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const run = await sync();
    if (run.pushed === 0 && run.pulled === 0) return;
  }
  throw new Error('sync did not settle');
}

/** A unit with one 150.000 invoice, known on both sites. */
async function unitWithInvoice(code: string) {
  const unit = (await office.post(e('/units'), { code, occupancy: 'occupied' })).body.id as string;
  const charge = await office.post(e('/charges'), {
    name: `Iuran ${code}`,
    amount: 150_000,
    period: '2026-11',
    due_date: '2026-11-20',
    unit_ids: [unit],
  });
  expect(charge.status, charge.text).toBe(201);
  await syncUntilQuiet();
  const invoice = (await office.get(e(`/invoices?unit_id=${unit}`))).body.items[0].id as string;
  return { unit, invoice };
}

/** The same invoice paid online on the hosted instance and in cash on the desktop, neither knowing the other. */
async function payTwiceApart(unit: string, invoice: string) {
  const online = await cloudAdmin.post(e('/payments'), {
    unit_id: unit,
    amount: 150_000,
    method: 'qris',
    paid_at: '2026-11-05',
    invoice_ids: [invoice],
  });
  expect(online.status, online.text).toBe(201);
  const cash = await office.post(e('/payments'), {
    unit_id: unit,
    amount: 150_000,
    method: 'cash',
    paid_at: '2026-11-05',
    invoice_ids: [invoice],
  });
  expect(cash.status, cash.text).toBe(201);
  expect(online.body.allocations).toEqual([expect.objectContaining({ invoice_id: invoice, amount: 150_000 })]);
  expect(cash.body.allocations).toEqual([expect.objectContaining({ invoice_id: invoice, amount: 150_000 })]);
  return { online: online.body.id as string, cash: cash.body.id as string };
}

/** The same questions asked of both sites, answered through their APIs. */
async function seenBy(client: ApiClient, unit: string, invoice: string) {
  const balance = (await client.get(e(`/units/${unit}/balance`))).body;
  const inv = (await client.get(e(`/invoices/${invoice}`))).body;
  const notices = (await client.get(e('/ledger/notices?open=1'))).body.items.filter((n: { unit_id: string }) => n.unit_id === unit);
  return {
    outstanding: balance.outstanding,
    credit: balance.credit,
    status: inv.status,
    paid: inv.paid,
    notices: notices.map((n: Record<string, unknown>) => ({
      id: n.id,
      kind: n.kind,
      invoice_id: n.invoice_id,
      payment_id: n.payment_id,
      amount: n.amount,
    })),
  };
}

async function expectResolved(unit: string, invoice: string, payments: { online: string; cash: string }) {
  // The allocation with the later id is the one past the invoice's amount: its payment's money is the credit.
  const allocations = await db(desktop)('payment_allocations').where({ estate_id: estateId, invoice_id: invoice }).orderBy('id');
  expect(allocations).toHaveLength(2);
  const excessPayment = allocations[1].payment_id;
  expect([payments.online, payments.cash]).toContain(excessPayment);
  const expected = {
    outstanding: 0,
    credit: 150_000,
    status: 'paid',
    paid: 150_000,
    notices: [{ id: expect.any(String), kind: 'overpayment', invoice_id: invoice, payment_id: excessPayment, amount: 150_000 }],
  };
  const onDesktop = await seenBy(office, unit, invoice);
  const onCloud = await seenBy(cloudAdmin, unit, invoice);
  expect(onDesktop).toEqual(expected);
  expect(onCloud).toEqual(onDesktop);
  for (const table of COMPARED) expect(await rowsOf(cloud, table), table).toEqual(await rowsOf(desktop, table));
}

/** Money in equals what the invoices hold plus the units' credit, on each site. */
async function expectMoneyAccountedFor(client: ApiClient, server: TestServer) {
  // A reversed payment is money handed back, not money in.
  const paymentsTotal = Number(
    (
      (await db(server)('payments')
        .where({ estate_id: estateId })
        .whereNotIn('id', db(server)('payment_reversals').where({ estate_id: estateId }).select('payment_id'))
        .sum({ s: 'amount' })
        .first()) as { s: unknown }
    ).s,
  );
  const invoices = (await client.get(e('/invoices?limit=100'))).body.items as { paid: number }[];
  const units = (await db(server)('units').where({ estate_id: estateId }).select('id')) as { id: string }[];
  let credit = 0;
  for (const u of units) credit += (await client.get(e(`/units/${u.id}/balance`))).body.credit;
  expect(invoices.reduce((s, i) => s + i.paid, 0) + credit).toBe(paymentsTotal);
  expect((await client.get(e('/dashboard'))).body.credit_total).toBe(credit);
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
}, 120_000);
afterAll(() => sites?.close());

describe('an invoice paid online and in cash while the sites were apart', () => {
  it('desktop batch first: the hosted instance sees the overlap when the cash arrives, then the desktop when it pulls', async () => {
    const { unit, invoice } = await unitWithInvoice('C-1');
    const payments = await payTwiceApart(unit, invoice);
    const first = await sync();
    expect(first.pushed).toBeGreaterThan(0);
    // The hosted instance raised the notice while applying the push; the desktop raised the same one on the pull.
    expect(await db(cloud)('ledger_notices').where({ estate_id: estateId, unit_id: unit })).toHaveLength(1);
    expect(await db(desktop)('ledger_notices').where({ estate_id: estateId, unit_id: unit })).toHaveLength(1);
    await syncUntilQuiet();
    await expectResolved(unit, invoice, payments);
  });

  it('hosted batch first: the desktop pulls the online payment before its cash goes up', async () => {
    const { unit, invoice } = await unitWithInvoice('C-2');
    const payments = await payTwiceApart(unit, invoice);
    // The desktop's changes wait (as if its push failed), so this cycle only pulls.
    const waiting = await db(desktop)('outbox').where({ estate_id: estateId }).whereNull('synced_at').select('id');
    const ids = waiting.map((r: { id: string }) => r.id);
    await db(desktop)('outbox').whereIn('id', ids).update({ synced_at: 'held back' });
    const pullOnly = await sync();
    expect(pullOnly.pulled).toBeGreaterThan(0);
    expect(await db(desktop)('ledger_notices').where({ estate_id: estateId, unit_id: unit })).toHaveLength(1);
    // The cash has not reached the hosted instance yet (the desktop's notice may have: it is new, not held back).
    expect(await db(cloud)('payments').where({ estate_id: estateId, unit_id: unit })).toHaveLength(1);
    await db(desktop)('outbox').whereIn('id', ids).update({ synced_at: null });
    await syncUntilQuiet();
    await expectResolved(unit, invoice, payments);
  });

  it('never loses or doubles a rupiah: payments in = paid on invoices + credit, on both sites', async () => {
    await expectMoneyAccountedFor(office, desktop);
    await expectMoneyAccountedFor(cloudAdmin, cloud);
  });

  it('reversing the payment that became credit takes the credit back and leaves the invoice paid, on both sites', async () => {
    const unit = (await db(desktop)('units').where({ estate_id: estateId, code: 'C-1' }).first()).id as string;
    const invoice = (await office.get(e(`/invoices?unit_id=${unit}`))).body.items[0].id as string;
    const allocations = await db(desktop)('payment_allocations').where({ estate_id: estateId, invoice_id: invoice }).orderBy('id');
    const reversed = await office.post(e(`/payments/${allocations[1].payment_id}/reverse`), { reason: 'dibayar dua kali, dikembalikan' });
    expect(reversed.status, reversed.text).toBe(200);
    await syncUntilQuiet();
    for (const client of [office, cloudAdmin]) {
      const seen = await seenBy(client, unit, invoice);
      expect(seen).toMatchObject({ outstanding: 0, credit: 0, status: 'paid', paid: 150_000 });
    }
    await expectMoneyAccountedFor(office, desktop);
    await expectMoneyAccountedFor(cloudAdmin, cloud);
  });
});
