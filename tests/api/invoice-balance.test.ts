import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * One invoice in every state the ledger knows, and the same answer about each from every place that reads a
 * balance: the invoice list's status filter (SQL), the invoice itself (API), the unit's balance, and the arrears
 * and collection reports (bulk sums). Runs on SQLite and, in npm test's PostgreSQL pass, on PostgreSQL.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let calendar: { today: string; period: string; now: string };
const e = (p: string) => `/estates/${estateId}${p}`;
const TOTAL = 150_000;

interface Case {
  name: string;
  overdue?: boolean;
  act: (invoiceId: string, unitId: string) => Promise<void>;
  status: 'unpaid' | 'partial' | 'paid' | 'void';
  paid: number;
  credited: number;
  outstanding: number;
}

async function pay(unitId: string, amount: number): Promise<string> {
  const res = await admin.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: calendar.now });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}
async function ok(res: Promise<{ status: number; text: string }>, status = 201) {
  const r = await res;
  expect(r.status, r.text).toBe(status);
}
const creditNote = (id: string, amount: number) => ok(admin.post(e(`/invoices/${id}/credit-notes`), { amount, reason: 'Diskon pengurus' }));
const voidInvoice = (id: string) => ok(admin.post(e(`/invoices/${id}/void`), { reason: 'Salah tagih' }), 200);

const CASES: Case[] = [
  { name: 'unpaid', act: async () => {}, status: 'unpaid', paid: 0, credited: 0, outstanding: TOTAL },
  { name: 'overdue', overdue: true, act: async () => {}, status: 'unpaid', paid: 0, credited: 0, outstanding: TOTAL },
  {
    name: 'overdue-partial',
    overdue: true,
    act: async (_i, u) => void (await pay(u, 20_000)),
    status: 'partial',
    paid: 20_000,
    credited: 0,
    outstanding: 130_000,
  },
  {
    name: 'partly-paid',
    act: async (_i, u) => void (await pay(u, 50_000)),
    status: 'partial',
    paid: 50_000,
    credited: 0,
    outstanding: 100_000,
  },
  { name: 'paid', act: async (_i, u) => void (await pay(u, TOTAL)), status: 'paid', paid: TOTAL, credited: 0, outstanding: 0 },
  {
    name: 'reversed',
    status: 'unpaid',
    paid: 0,
    credited: 0,
    outstanding: TOTAL,
    act: async (_i, u) => ok(admin.post(e(`/payments/${await pay(u, TOTAL)}/reverse`), { reason: 'Transfer ditolak bank' }), 200),
  },
  {
    name: 'partly-reversed',
    status: 'partial',
    paid: 30_000,
    credited: 0,
    outstanding: 120_000,
    act: async (_i, u) => {
      await pay(u, 30_000);
      await ok(admin.post(e(`/payments/${await pay(u, 40_000)}/reverse`), { reason: 'Salah catat' }), 200);
    },
  },
  { name: 'void', act: (i) => voidInvoice(i), status: 'void', paid: 0, credited: 0, outstanding: 0 },
  {
    name: 'void-after-payment',
    status: 'void',
    paid: 0,
    credited: 0,
    outstanding: 0,
    act: async (i, u) => {
      await pay(u, 60_000);
      await voidInvoice(i);
    },
  },
  { name: 'credit-note', act: (i) => creditNote(i, 40_000), status: 'partial', paid: 0, credited: 40_000, outstanding: 110_000 },
  { name: 'credited-in-full', act: (i) => creditNote(i, TOTAL), status: 'paid', paid: 0, credited: TOTAL, outstanding: 0 },
  {
    name: 'credit-note-and-payment',
    status: 'paid',
    paid: 100_000,
    credited: 50_000,
    outstanding: 0,
    act: async (i, u) => {
      await creditNote(i, 50_000);
      await pay(u, 100_000);
    },
  },
];

const invoiceOf = new Map<string, { id: string; unitId: string }>();

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  calendar = (await admin.get(e('/calendar'))).body;
  const yesterday = DateTime.fromISO(calendar.today).minus({ days: 1 }).toISODate()!;
  const later = DateTime.fromISO(calendar.today).plus({ days: 30 }).toISODate()!;
  for (const c of CASES) {
    const unit = await admin.post(e('/units'), { code: `S-${c.name}`, type: 'rumah', occupancy: 'occupied' });
    expect(unit.status, unit.text).toBe(201);
    const charge = await admin.post(e('/charges'), {
      name: `Iuran ${c.name}`,
      amount: TOTAL,
      period: calendar.period,
      due_date: c.overdue ? yesterday : later,
      unit_ids: [unit.body.id],
    });
    expect(charge.status, charge.text).toBe(201);
    invoiceOf.set(c.name, { id: charge.body.invoice_ids[0], unitId: unit.body.id });
    await c.act(charge.body.invoice_ids[0], unit.body.id);
  }
});
afterAll(async () => {
  await server?.close();
});

describe('one invoice-balance rule', () => {
  it('the invoice API and the unit balance answer each state', async () => {
    for (const c of CASES) {
      const { id, unitId } = invoiceOf.get(c.name)!;
      const inv = (await admin.get(e(`/invoices/${id}`))).body;
      expect({ case: c.name, status: inv.status, paid: inv.paid, credited: inv.credited, outstanding: inv.outstanding }).toEqual({
        case: c.name,
        status: c.status,
        paid: c.paid,
        credited: c.credited,
        outstanding: c.outstanding,
      });
      expect(inv.due_date < calendar.today, c.name).toBe(c.overdue === true);
      const balance = (await admin.get(e(`/units/${unitId}/balance`))).body;
      expect(balance.outstanding, c.name).toBe(c.outstanding);
    }
  });

  it('the invoice list filtered by each status holds exactly the invoices the API gives that status', async () => {
    for (const status of ['unpaid', 'partial', 'paid', 'void'] as const) {
      const res = await admin.get(e(`/invoices?period=${calendar.period}&status=${status}&limit=100`));
      expect(res.status, res.text).toBe(200);
      const expected = CASES.filter((c) => c.status === status)
        .map((c) => invoiceOf.get(c.name)!.id)
        .sort();
      expect(res.body.items.map((i: { id: string }) => i.id).sort(), status).toEqual(expected);
      expect(res.body.total, status).toBe(expected.length);
      for (const item of res.body.items) expect(item.status).toBe(status);
    }
  });

  it('the arrears and collection reports count what the API says each invoice owes', async () => {
    const year = Number(calendar.period.slice(0, 4));
    const month = Number(calendar.period.slice(5, 7)) - 1;
    const arrears = (await admin.get(e(`/reports/arrears?year=${year}`))).body;
    for (const c of CASES) {
      const unitId = invoiceOf.get(c.name)!.unitId;
      const row = arrears.grid.find((r: { unit_id: string }) => r.unit_id === unitId);
      // The grid and the list hold only the units that owe.
      expect(Boolean(row), c.name).toBe(c.outstanding > 0);
      expect(
        arrears.list.some((l: { unit_id: string }) => l.unit_id === unitId),
        c.name,
      ).toBe(c.outstanding > 0);
      if (!row) continue;
      expect({ case: c.name, billed: row.billed[month], outstanding: row.outstanding[month] }).toEqual({
        case: c.name,
        billed: TOTAL - c.credited,
        outstanding: c.outstanding,
      });
    }
    const live = CASES.filter((c) => c.status !== 'void');
    const collection = (await admin.get(e(`/reports/collection?year=${year}`))).body;
    const thisMonth = collection.months.find((m: { period: string }) => m.period === calendar.period);
    expect(thisMonth).toMatchObject({
      invoices: live.length,
      billed: live.reduce((s, c) => s + TOTAL - c.credited, 0),
      collected: live.reduce((s, c) => s + c.paid, 0),
      outstanding: live.reduce((s, c) => s + c.outstanding, 0),
    });
  });
});
