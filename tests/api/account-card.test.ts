import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DateTime } from 'luxon';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The treasurer's money view: a unit's account card (statement with a running balance), invoice search by unit or
 * resident, an invoice's payments with their receipts, fee types re-rated or switched off from a month, and the
 * due date a billing run proposes. Every date is the estate's (GET /calendar), so the suite passes at any hour.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let cal: { today: string; period: string; now: string };
let prev: string;
let next: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const units = new Map<string, string>();
const residents = new Map<string, string>();
const month = (period: string, n: number) => DateTime.fromISO(`${period}-01`).plus({ months: n }).toFormat('yyyy-MM');

async function ok<T = any>(res: Promise<{ status: number; text: string; body: T }>, status = 201): Promise<T> {
  const r = await res;
  expect(r.status, r.text).toBe(status);
  return r.body;
}
const pay = (unit: string, amount: number) =>
  ok(admin.post(e('/payments'), { unit_id: units.get(unit), amount, method: 'cash', paid_at: cal.now }));
const card = (unit: string, query = '') => admin.get(e(`/units/${units.get(unit)}/account${query}`));
const invoicesOf = async (unit: string) =>
  (await ok(admin.get(e(`/invoices?unit_id=${units.get(unit)}&limit=100`)), 200)).items as Array<{
    id: string;
    period: string;
    total: number;
    overdue: boolean;
  }>;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  cal = (await admin.get(e('/calendar'))).body;
  prev = month(cal.period, -1);
  next = month(cal.period, 1);
  for (const [code, resident] of [
    ['A-1', 'Budi Santoso'],
    ['A-10', 'Rina Wijaya'],
    ['B-12', 'Siti Rahma'],
  ]) {
    const unit = await ok(admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' }));
    units.set(code, unit.id);
    residents.set(code, (await ok(admin.post(e('/residents'), { name: resident, unit_id: unit.id, relation: 'owner' }))).id);
  }
  await ok(
    admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 100_000, basis: 'flat', effective_from: month(cal.period, -6) }),
  );
  // Last month with last month's due date (already passed), this month with the date the run proposes.
  await ok(admin.post(e('/billing-runs'), { period: prev, due_date: `${prev}-10` }));
  await ok(admin.post(e('/billing-runs'), { period: cal.period }));
});
afterAll(async () => {
  await server?.close();
});

describe('a unit account card', () => {
  it('lists invoices, payments (with receipts), reversals and credit notes with a running balance that ends at outstanding − credit', async () => {
    const first = await pay('A-1', 70_000);
    expect((await admin.get(e(`/payments/${first.id}/receipt`))).status).toBe(200);
    let body = await ok(card('A-1'), 200);
    const [older, current] = (await invoicesOf('A-1')).sort((a, b) => (a.period < b.period ? -1 : 1));
    expect(body.lines.find((l: { invoice_id: string; kind: string }) => l.kind === 'invoice' && l.invoice_id === older.id).overdue).toBe(
      true,
    );
    expect(body.lines.find((l: { invoice_id: string; kind: string }) => l.kind === 'invoice' && l.invoice_id === current.id).overdue).toBe(
      false,
    );
    expect(body).toMatchObject({ outstanding: 130_000, credit: 0, overdue: 30_000, closing_balance: 130_000 });
    expect(body.lines.find((l: { kind: string }) => l.kind === 'payment')).toMatchObject({
      amount: -70_000,
      payment_id: first.id,
      receipt_number: expect.any(String),
    });

    const wrong = await pay('A-1', 20_000);
    await ok(admin.post(e(`/payments/${wrong.id}/reverse`), { reason: 'Salah catat' }), 200);
    await ok(admin.post(e(`/invoices/${current.id}/credit-notes`), { amount: 10_000, reason: 'Diskon pengurus' }));
    await pay('A-1', 140_000);

    body = await ok(card('A-1'), 200);
    const balance = (await ok(admin.get(e(`/units/${units.get('A-1')}/balance`)), 200)) as { outstanding: number; credit: number };
    expect(balance).toMatchObject({ outstanding: 0, credit: 20_000 });
    expect(body).toMatchObject({
      estate: { name: 'Perumahan Griya Asri' },
      unit: { code: 'A-1' },
      residents: [{ name: 'Budi Santoso', relation: 'owner' }],
      outstanding: 0,
      credit: 20_000,
      opening_balance: 0,
      closing_balance: -20_000,
      total_debit: 220_000,
      total_credit: 240_000,
    });
    expect(body.lines.map((l: { kind: string; amount: number }) => [l.kind, l.amount])).toEqual([
      ['invoice', 100_000],
      ['invoice', 100_000],
      ['payment', -70_000],
      ['payment', -20_000],
      ['reversal', 20_000],
      ['credit_note', -10_000],
      ['payment', -140_000],
    ]);
    let running = body.opening_balance;
    for (const line of body.lines) {
      running += line.amount;
      expect(line.balance).toBe(running);
    }
    expect(body.lines.find((l: { kind: string }) => l.kind === 'reversal')).toMatchObject({ payment_id: wrong.id, note: 'Salah catat' });

    // The credit paid back in cash: the card ends at zero, as the unit's balance does.
    await ok(admin.post(e(`/units/${units.get('A-1')}/credit-refunds`), { amount: 20_000, method: 'cash', reason: 'Kelebihan bayar' }));
    body = await ok(card('A-1'), 200);
    expect(body.lines.at(-1)).toMatchObject({ kind: 'refund', amount: 20_000, balance: 0, note: 'Kelebihan bayar' });
    expect(body).toMatchObject({ outstanding: 0, credit: 0, closing_balance: 0 });
  });

  it('prints as a PDF statement with the same lines, opening, running and closing balance, estate header and printed day', async () => {
    const body = await ok(card('A-1'), 200);
    const res = await fetch(`${server.url}/api/v1${e(`/reports/account-card?unit_id=${units.get('A-1')}&format=pdf`)}`, {
      headers: { cookie: admin.cookie! },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    expect(res.headers.get('content-disposition')).toContain('kartu-akun-A-1.pdf');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'account-card-')), 'card.pdf');
    fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
    const text = execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
    const rp = (n: number) => `${n < 0 ? '-' : ''}Rp ${Math.abs(n).toLocaleString('id-ID')}`;
    const day = (d: string) => DateTime.fromISO(d).setLocale('id').toFormat('d LLL yyyy').replace('Agt', 'Agu');
    expect(text).toContain('Perumahan Griya Asri');
    expect(text).toContain('Rekening Koran Iuran');
    expect(text).toContain('Unit A-1 · Budi Santoso');
    expect(text).toContain(`dicetak ${day(cal.today)}`);
    expect(text).toMatch(new RegExp(`Saldo awal\\s+${rp(body.opening_balance)}`));
    expect(text).toMatch(new RegExp(`Saldo akhir\\s+${rp(body.total_debit)}\\s+${rp(body.total_credit)}\\s+${rp(body.closing_balance)}`));
    const printed = text.split('\n').filter((l) => /^\s*\d{1,2} \w{3} \d{4}\s/.test(l));
    expect(printed).toHaveLength(body.lines.length);
    body.lines.forEach(
      (l: { date: string; number: string | null; receipt_number: string | null; amount: number; balance: number }, i: number) => {
        expect(printed[i]).toContain(day(l.date));
        if (l.number) expect(printed[i]).toContain(l.number);
        if (l.receipt_number) expect(printed[i]).toContain(l.receipt_number);
        expect(printed[i]).toMatch(new RegExp(`${rp(Math.abs(l.amount))}\\s+${rp(l.balance)}\\s*$`));
      },
    );
    expect(text).toContain('Pembayaran dibatalkan · Salah catat');

    const bad = await admin.get(e(`/reports/account-card?unit_id=${units.get('A-1')}&from=${next}&to=${prev}&format=pdf`));
    expect(bad.status).toBe(400);
    expect((await admin.get(e('/reports/account-card?unit_id=0190a0a0-0000-7000-8000-000000000000&format=pdf'))).status).toBe(404);
  });

  it('a voided invoice takes back what it still billed', async () => {
    const inv = (await invoicesOf('A-10')).find((i) => i.period === prev)!;
    await ok(admin.post(e(`/invoices/${inv.id}/credit-notes`), { amount: 25_000, reason: 'Diskon' }));
    await ok(admin.post(e(`/invoices/${inv.id}/void`), { reason: 'Salah tagih' }), 200);
    const body = await ok(card('A-10'), 200);
    expect(
      body.lines
        .filter((l: { invoice_id: string }) => l.invoice_id === inv.id)
        .map((l: { kind: string; amount: number }) => [l.kind, l.amount]),
    ).toEqual([
      ['invoice', 100_000],
      ['credit_note', -25_000],
      ['void', -75_000],
    ]);
    expect(body.closing_balance).toBe(body.outstanding - body.credit);
  });

  it('a range of months: earlier facts make the opening balance, later ones are left out', async () => {
    const all = await ok(card('B-12'), 200);
    expect(all.closing_balance).toBe(200_000);
    const after = await ok(card('B-12', `?from=${next}`), 200);
    expect(after).toMatchObject({ from: next, to: null, opening_balance: 200_000, closing_balance: 200_000, lines: [] });
    const before = await ok(card('B-12', `?to=${prev}`), 200);
    expect(before).toMatchObject({ opening_balance: 0, closing_balance: 0, lines: [] });
    const now = await ok(card('B-12', `?from=${cal.period}&to=${cal.period}`), 200);
    expect(now.lines).toHaveLength(2);
  });

  it('refuses malformed ranges with 400 and unknown units with 404', async () => {
    for (const q of ['?from=2026-13', '?to=nope', `?from=${next}&to=${prev}`, '?from=2026-01&extra=1', '?from=%00']) {
      const res = await card('B-12', q);
      expect(res.status, q).toBe(400);
      expect(res.body.error.code, q).toMatch(/^[A-Z_]+$/);
    }
    expect((await admin.get(e('/units/nope/account'))).status).toBe(404);
    expect((await admin.get(e('/units/0190a0a0-0000-7000-8000-000000000000/account'))).status).toBe(404);
  });

  it("another estate's unit is 404; office roles read it, guards and residents do not, strangers are asked to sign in", async () => {
    const other = await setupEstateElsewhere();
    expect((await admin.get(`/estates/${other}/units/${units.get('A-1')}/account`)).status).toBe(404);
    for (const role of ['treasurer', 'staff']) {
      const { client } = await userWithRole(server.url, admin, estateId, role);
      expect((await client.get(e(`/units/${units.get('A-1')}/account`))).status, role).toBe(200);
    }
    for (const role of ['guard', 'resident']) {
      const { client } = await userWithRole(server.url, admin, estateId, role);
      expect((await client.get(e(`/units/${units.get('A-1')}/account`))).status, role).toBe(403);
    }
    expect((await apiClient(server.url).get(e(`/units/${units.get('A-1')}/account`))).status).toBe(401);
  });
});

async function setupEstateElsewhere(): Promise<string> {
  const other = await ok(admin.post('/estates', { name: 'Perumahan Lain' }));
  return other.id ?? other.estate?.id;
}

describe('invoice search and an invoice with its payments', () => {
  it('finds invoices by unit code in any spelling or by resident name', async () => {
    const unitOf = async (q: string) => {
      const body = await ok(admin.get(e(`/invoices?q=${encodeURIComponent(q)}&limit=100`)), 200);
      return [...new Set(body.items.map((i: { unit_code: string }) => i.unit_code))].sort();
    };
    expect(await unitOf('b12')).toEqual(['B-12']);
    expect(await unitOf('B-12')).toEqual(['B-12']);
    expect(await unitOf('siti')).toEqual(['B-12']);
    expect(await unitOf('Rahma')).toEqual(['B-12']);
    expect(await unitOf('a1')).toEqual(['A-1', 'A-10']);
    expect(await unitOf('zzz')).toEqual([]);
    expect((await admin.get(e(`/invoices?q=${'x'.repeat(101)}`))).status).toBe(400);
  });

  it('marks invoices past due as overdue and filters them', async () => {
    const body = await ok(admin.get(e('/invoices?overdue=true&limit=100')), 200);
    expect(body.items.map((i: { unit_code: string; period: string }) => [i.unit_code, i.period])).toEqual([['B-12', prev]]);
    expect(body.items.every((i: { overdue: boolean }) => i.overdue)).toBe(true);
    const list = await ok(admin.get(e(`/invoices?q=B-12&limit=100`)), 200);
    expect(list.items.map((i: { period: string; overdue: boolean }) => [i.period, i.overdue])).toEqual([
      [cal.period, false],
      [prev, true],
    ]);
    expect((await admin.get(e('/invoices?overdue=maybe'))).status).toBe(400);
  });

  it('the dashboard counts what is past due, per unit and in total', async () => {
    const body = await ok(admin.get(e('/dashboard')), 200);
    expect(body.overdue_total).toBe(100_000);
    expect(body.top_arrears.find((u: { code: string }) => u.code === 'B-12')).toMatchObject({ outstanding: 200_000, overdue: 100_000 });
    expect(body.top_arrears.find((u: { code: string }) => u.code === 'A-10')).toMatchObject({ outstanding: 100_000, overdue: 0 });
  });

  it("a resident's bills in the portal say which are overdue", async () => {
    const { client } = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: residents.get('B-12') });
    const body = await ok(client.get(e('/portal/invoices')), 200);
    expect(body.items.map((i: { period: string; overdue: boolean }) => [i.period, i.overdue])).toEqual([
      [cal.period, false],
      [prev, true],
    ]);
  });

  it('an invoice shows its lines and the payments that paid it, with their receipt numbers', async () => {
    const [older] = (await invoicesOf('A-1')).sort((a, b) => (a.period < b.period ? -1 : 1));
    const inv = await ok(admin.get(e(`/invoices/${older.id}`)), 200);
    expect(inv.lines).toEqual([expect.objectContaining({ description: 'IPL', amount: 100_000 })]);
    expect(inv.overdue).toBe(false);
    const paidBy = inv.allocations.filter((a: { amount: number }) => a.amount > 0);
    expect(paidBy[0]).toMatchObject({ amount: 70_000, payment_number: expect.any(String), receipt_number: expect.any(String) });
  });
});

describe('fee types from a month', () => {
  it('a new rate applies from its month and earlier months keep the old one; switched off stops billing from a month', async () => {
    const fee = (await ok(admin.get(e('/fee-types')), 200)).items[0];
    const later = month(cal.period, 2);
    const rerated = await ok(admin.patch(e(`/fee-types/${fee.id}`), { amount: 120_000, effective_from: next }), 200);
    expect(rerated.rates.map((r: { effective_from: string; amount: number }) => [r.effective_from, r.amount])).toEqual([
      [month(cal.period, -6), 100_000],
      [next, 120_000],
    ]);
    const preview = async (period: string) => ok(admin.post(e('/billing-runs'), { period, dry_run: true }), 200);
    expect((await preview(next)).total_amount).toBe(3 * 120_000);
    expect((await preview(month(cal.period, -2))).total_amount).toBe(3 * 100_000);

    const off = await ok(admin.patch(e(`/fee-types/${fee.id}`), { inactive_from: later }), 200);
    expect(off.inactive_from).toBe(later);
    expect((await preview(next)).total_amount).toBe(3 * 120_000);
    expect(await preview(later)).toMatchObject({ invoices_created: 0, total_amount: 0 });
    const before = await invoicesOf('B-12');
    await ok(admin.post(e('/billing-runs'), { period: later, due_date: `${later}-10` }));
    expect(await invoicesOf('B-12')).toEqual(before);

    expect((await admin.patch(e(`/fee-types/${fee.id}`), { inactive_from: '2026-13' })).status).toBe(400);
    expect((await admin.get(e(`/fee-types/${fee.id}`))).body.inactive_from).toBe(later);
    const on = await ok(admin.patch(e(`/fee-types/${fee.id}`), { inactive_from: null }), 200);
    expect(on.inactive_from).toBeNull();
    expect((await preview(later)).total_amount).toBe(3 * 120_000);
  });
});

describe('the due date a billing run proposes', () => {
  it('is after the run, also for a month already past', async () => {
    const billedNow = (await invoicesOf('B-12')).find((i) => i.period === cal.period)!;
    expect((await ok(admin.get(e(`/invoices/${billedNow.id}`)), 200)).due_date > cal.today).toBe(true);
    for (const period of [month(cal.period, -3), cal.period, next]) {
      const body = await ok(admin.post(e('/billing-runs'), { period, dry_run: true }), 200);
      expect(body.due_date > cal.today, period).toBe(true);
      expect(body.due_date >= `${period}-01`, period).toBe(true);
    }
  });
});
