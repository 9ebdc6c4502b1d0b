import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { journalGaps } from '../support/journal-coverage.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: ApiClient;
let estateId: string;
const cb = (p: string) => `/estates/${estateId}/cashbook${p}`;
const knex = () => server.db.knex;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
});

afterAll(async () => {
  await server?.close();
});

async function newAccount(name: string, extra: Record<string, unknown> = {}): Promise<string> {
  const res = await admin.post(cb('/accounts'), { name, kind: 'cash', ...extra });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function entryCount(): Promise<number> {
  const row = await knex()('cashbook_entries').where({ estate_id: estateId }).count({ n: '*' }).first();
  return Number(row?.n);
}

const entry = (account_id: string, direction: 'in' | 'out', amount: number, entry_date: string, extra: Record<string, unknown> = {}) =>
  admin.post(cb('/entries'), {
    account_id,
    direction,
    amount,
    category: direction === 'in' ? 'donation' : 'repairs',
    entry_date,
    description: `${direction} ${amount}`,
    ...extra,
  });

describe('cash-book categories', () => {
  it('lists the built-in categories with Indonesian and English names, system ones left out', async () => {
    const res = await admin.get(cb('/categories'));
    expect(res.status).toBe(200);
    expect(res.body.items).toContainEqual({
      code: 'guard_salary',
      direction: 'out',
      name: 'Gaji satpam',
      name_en: 'Security guard salary',
      built_in: true,
      retired: false,
    });
    expect(res.body.items).toContainEqual(expect.objectContaining({ code: 'iuran', direction: 'in', name: 'Iuran warga' }));
    expect(res.body.items.map((c: any) => c.code)).not.toContain('opening_balance');
  });

  it('adds a category by name, journaled, and an entry may then use it', async () => {
    const added = await admin.post(cb('/categories'), { name: '  Lomba 17-an  Agustus ', direction: 'out' });
    expect(added.status, added.text).toBe(201);
    expect(added.body).toEqual({
      code: 'lomba_17_an_agustus',
      direction: 'out',
      name: 'Lomba 17-an Agustus',
      name_en: null,
      built_in: false,
      retired: false,
    });
    const list = (await admin.get(cb('/categories'))).body.items;
    expect(list).toContainEqual(added.body);

    const row = await knex()('cashbook_categories').where({ estate_id: estateId, code: 'lomba_17_an_agustus' }).first();
    expect(row).toBeTruthy();
    expect(await knex()('audit_log').where({ entity_id: row.id, action: 'cashbook_categories.create' }).first()).toBeTruthy();
    expect(await knex()('outbox').where({ row_id: row.id }).first()).toBeTruthy();

    const cash = await newAccount('Kas Lomba', { opening_balance: 500_000, opening_date: '2026-08-01' });
    const spent = await entry(cash, 'out', 200_000, '2026-08-17', { category: 'lomba_17_an_agustus' });
    expect(spent.status, spent.text).toBe(201);
    expect(spent.body.category).toBe('lomba_17_an_agustus');
  });

  it('refuses a name already in the list (built-in in either language or the estate’s own) with 409', async () => {
    for (const name of ['listrik', 'Electricity', 'LOMBA 17-an agustus']) {
      const res = await admin.post(cb('/categories'), { name, direction: 'out' });
      expect(res.status, name).toBe(409);
      expect(res.body.error).toMatchObject({ code: 'CATEGORY_EXISTS', field: 'name' });
    }
    const blank = await admin.post(cb('/categories'), { name: '!!!', direction: 'in' });
    expect(blank.status).toBe(400);
    expect(await knex()('cashbook_categories').where({ estate_id: estateId }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
  });

  it('gives a second category whose name makes the same code its own code', async () => {
    const other = await admin.post(cb('/categories'), { name: 'Lomba (17-an) Agustus!', direction: 'out' });
    expect(other.status, other.text).toBe(201);
    expect(other.body.code).toBe('lomba_17_an_agustus_2');
  });

  it('refuses an entry whose category is not in the list with 422 and writes nothing', async () => {
    const cash = await newAccount('Kas Kategori', { opening_balance: 100_000, opening_date: '2026-08-01' });
    const before = await entryCount();
    const res = await entry(cash, 'in', 1_000, '2026-08-02', { category: 'arisan' });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({ code: 'UNKNOWN_CATEGORY', field: 'category' });
    expect(await entryCount()).toBe(before);
  });

  it("keeps one estate's categories out of another's list and entries", async () => {
    const other = await admin.post('/estates', { name: 'Perumahan Lain' });
    const otherCb = `/estates/${other.body.id}/cashbook`;
    expect((await admin.get(`${otherCb}/categories`)).body.items.map((c: any) => c.code)).not.toContain('lomba_17_an_agustus');
    const acc = await admin.post(`${otherCb}/accounts`, { name: 'Kas', kind: 'cash', opening_balance: 10_000, opening_date: '2026-08-01' });
    const res = await admin.post(`${otherCb}/entries`, {
      account_id: acc.body.id,
      direction: 'out',
      amount: 1_000,
      category: 'lomba_17_an_agustus',
      entry_date: '2026-08-02',
      description: 'x',
    });
    expect(res.status).toBe(422);
  });
});

describe("an estate's own categories renamed and retired", () => {
  const journal = (action: string) => knex()('audit_log').where({ estate_id: estateId, action }).count({ n: '*' }).first();
  const listed = async (code: string) =>
    ((await admin.get(cb('/categories'))).body.items as Array<{ code: string }>).find((c) => c.code === code);

  it('renames one: old entries keep its code and read the new name, journaled', async () => {
    const cash = await newAccount('Kas Ganti Nama', { opening_balance: 500_000, opening_date: '2026-09-01' });
    const added = (await admin.post(cb('/categories'), { name: 'Iuran Sampah', direction: 'in' })).body;
    const spent = await entry(cash, 'in', 25_000, '2026-09-02', { category: added.code });
    expect(spent.status, spent.text).toBe(201);

    const renamed = await admin.patch(cb(`/categories/${added.code}`), { name: '  Retribusi   Sampah ' });
    expect(renamed.status, renamed.text).toBe(200);
    expect(renamed.body).toEqual({ ...added, name: 'Retribusi Sampah' });
    expect(await listed(added.code)).toEqual(renamed.body);
    expect((await admin.get(cb(`/entries/${spent.body.id}`))).body.category).toBe(added.code);
    const row = await knex()('cashbook_categories').where({ estate_id: estateId, code: added.code }).first();
    const audit = await knex()('audit_log').where({ entity_id: row.id, action: 'cashbook_categories.rename' }).first();
    expect([JSON.parse(audit.before).name, JSON.parse(audit.after).name]).toEqual(['Iuran Sampah', 'Retribusi Sampah']);
    expect(await knex()('outbox').where({ row_id: row.id }).count({ n: '*' }).first()).toMatchObject({ n: 2 });
    const report = await admin.get(`/estates/${estateId}/reports/monthly?period=2026-09`);
    expect(JSON.stringify(report.body)).toContain('Retribusi Sampah');
    expect(JSON.stringify(report.body)).not.toContain('Iuran Sampah');
  });

  it('refuses to rename to a name already in the list, or a built-in or unknown one, and changes nothing', async () => {
    const a = (await admin.post(cb('/categories'), { name: 'Kerja Bakti Blok C', direction: 'out' })).body;
    const before = await journal('cashbook_categories.rename');
    for (const [code, body, status, error] of [
      [a.code, { name: 'lomba 17-an agustus' }, 409, 'CATEGORY_EXISTS'],
      [a.code, { name: 'Electricity' }, 409, 'CATEGORY_EXISTS'],
      ['electricity', { name: 'Listrik PLN' }, 422, 'CATEGORY_BUILT_IN'],
      ['reversal', { name: 'Koreksi' }, 422, 'CATEGORY_BUILT_IN'],
      ['tidak_ada', { name: 'Apa saja' }, 404, 'NOT_FOUND'],
      [a.code, { name: '!!!' }, 400, undefined],
      [a.code, { name: 'x', extra: 1 }, 400, undefined],
      [a.code, {}, 400, undefined],
    ] as const) {
      const res = await admin.patch(cb(`/categories/${code}`), body);
      expect(res.status, `${code} ${JSON.stringify(body)}`).toBe(status);
      if (error) expect(res.body.error.code).toBe(error);
      else expect(res.body.error.code).toMatch(/^[A-Z_]+$/);
    }
    expect(await journal('cashbook_categories.rename')).toEqual(before);
    expect(await listed(a.code)).toMatchObject({ name: 'Kerja Bakti Blok C' });
  });

  it('retires one: kept and named on old entries, refused for new ones, and brought back', async () => {
    const cash = await newAccount('Kas Pensiun', { opening_balance: 500_000, opening_date: '2026-10-01' });
    const added = (await admin.post(cb('/categories'), { name: 'Ronda Malam', direction: 'out' })).body;
    const old = await entry(cash, 'out', 40_000, '2026-10-03', { category: added.code });
    expect(old.status, old.text).toBe(201);

    const retired = await admin.post(cb(`/categories/${added.code}/retire`), {});
    expect(retired.status, retired.text).toBe(200);
    expect(retired.body).toEqual({ ...added, retired: true });
    expect(await listed(added.code)).toEqual(retired.body);
    expect(await journal('cashbook_categories.retire')).toMatchObject({ n: 1 });
    const categoryGaps = async () => (await journalGaps(knex())).filter((gap) => gap.startsWith('cashbook_categories'));
    expect(await categoryGaps()).toEqual([]);
    expect((await admin.get(cb(`/entries/${old.body.id}`))).body.category).toBe(added.code);
    const report = await admin.get(`/estates/${estateId}/reports/monthly?period=2026-10`);
    expect(JSON.stringify(report.body)).toContain('Ronda Malam');

    const before = await entryCount();
    const refused = await entry(cash, 'out', 10_000, '2026-10-04', { category: added.code });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: 'CATEGORY_RETIRED', field: 'category' });
    expect(await entryCount()).toBe(before);
    expect((await admin.post(cb(`/categories/${added.code}/retire`), {})).body.error.code).toBe('CATEGORY_RETIRED');
    const builtIn = await admin.post(cb('/categories/repairs/retire'), {});
    expect(builtIn.status).toBe(422);
    expect(builtIn.body.error.code).toBe('CATEGORY_BUILT_IN');
    // Its name stays taken while old entries use it.
    expect((await admin.post(cb('/categories'), { name: 'ronda malam', direction: 'out' })).body.error?.code).toBe('CATEGORY_EXISTS');

    const restored = await admin.post(cb(`/categories/${added.code}/restore`), {});
    expect(restored.status, restored.text).toBe(200);
    expect(restored.body.retired).toBe(false);
    expect((await entry(cash, 'out', 10_000, '2026-10-05', { category: added.code })).status).toBe(201);
    expect(await categoryGaps()).toEqual([]);
    expect((await admin.post(cb(`/categories/${added.code}/restore`), {})).body.error.code).toBe('CATEGORY_NOT_RETIRED');
  });

  it('office roles without cash-book writing cannot rename or retire', async () => {
    const added = (await admin.post(cb('/categories'), { name: 'Parkir Tamu', direction: 'in' })).body;
    const staff = await userWithRole(server.url, admin, estateId, 'staff');
    expect((await staff.client.patch(cb(`/categories/${added.code}`), { name: 'Parkir' })).status).toBe(403);
    expect((await staff.client.post(cb(`/categories/${added.code}/retire`), {})).status).toBe(403);
    expect(await listed(added.code)).toEqual(added);
  });
});

describe('opening balances', () => {
  it('records one opening entry per account, dated, in the hash chain', async () => {
    const bank = (await admin.post(cb('/accounts'), { name: 'BRI Paguyuban', kind: 'bank' })).body.id;
    const res = await admin.post(cb(`/accounts/${bank}/opening`), { amount: 3_250_000, entry_date: '2026-07-31' });
    expect(res.status, res.text).toBe(201);
    expect(res.body).toMatchObject({
      account_id: bank,
      direction: 'in',
      amount: 3_250_000,
      category: 'opening_balance',
      source_type: 'opening',
      entry_date: '2026-07-31',
      description: 'Saldo awal BRI Paguyuban',
    });
    const accounts = (await admin.get(cb('/accounts'))).body.items;
    expect(accounts.find((a: any) => a.id === bank)).toMatchObject({ opening_balance: 3_250_000, balance: 3_250_000 });
    expect((await admin.get(cb('/verify'))).body).toMatchObject({ ok: true, first_broken: null });

    const again = await admin.post(cb(`/accounts/${bank}/opening`), { amount: 1, entry_date: '2026-07-31' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('OPENING_BALANCE_EXISTS');
  });

  it('refuses an opening balance for an account that got one when it was opened', async () => {
    const cash = await newAccount('Kas Dengan Saldo', { opening_balance: 1_000, opening_date: '2026-07-01' });
    const res = await admin.post(cb(`/accounts/${cash}/opening`), { amount: 5_000, entry_date: '2026-07-01' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('OPENING_BALANCE_EXISTS');
  });

  it('refuses an opening dated after the account’s first entry, a zero amount, and a closed month; writes nothing', async () => {
    const cash = await newAccount('Kas Terlambat');
    expect((await entry(cash, 'in', 50_000, '2026-09-10')).status).toBe(201);
    const before = await entryCount();
    const late = await admin.post(cb(`/accounts/${cash}/opening`), { amount: 100_000, entry_date: '2026-09-11' });
    expect(late.status).toBe(422);
    expect(late.body.error).toMatchObject({ code: 'OPENING_AFTER_ENTRIES', field: 'entry_date' });
    const zero = await admin.post(cb(`/accounts/${cash}/opening`), { amount: 0, entry_date: '2026-09-01' });
    expect(zero.status).toBe(400);
    expect((await admin.post(cb(`/accounts/${crypto.randomUUID()}/opening`), { amount: 1, entry_date: '2026-09-01' })).status).toBe(404);
    expect((await admin.post(cb('/close'), { period: '2026-06' })).status).toBe(201);
    const closed = await admin.post(cb(`/accounts/${cash}/opening`), { amount: 100_000, entry_date: '2026-06-30' });
    expect(closed.status).toBe(409);
    expect(closed.body.error.code).toBe('MONTH_CLOSED');
    expect(await entryCount()).toBe(before);
    const same = await admin.post(cb(`/accounts/${cash}/opening`), { amount: 100_000, entry_date: '2026-09-10' });
    expect(same.status, same.text).toBe(201);
  });
});

describe('running balance and money going below zero', () => {
  it("lists each entry with its account's balance right after it, in date order even when entered late", async () => {
    const cash = await newAccount('Kas Berjalan', { opening_balance: 100_000, opening_date: '2026-10-01' });
    expect((await entry(cash, 'out', 30_000, '2026-10-05')).status).toBe(201);
    expect((await entry(cash, 'in', 50_000, '2026-10-09')).status).toBe(201);
    // Entered last, dated between the two: the later balances include it.
    expect((await entry(cash, 'out', 20_000, '2026-10-07')).status).toBe(201);
    const list = await admin.get(cb(`/entries?account_id=${cash}`));
    expect(list.status).toBe(200);
    expect(list.body.items.map((e: any) => [e.entry_date, e.running_balance])).toEqual([
      ['2026-10-09', 100_000],
      ['2026-10-07', 50_000],
      ['2026-10-05', 70_000],
      ['2026-10-01', 100_000],
    ]);
    // A filter chooses rows; the balance stays the account's.
    const donations = await admin.get(cb(`/entries?account_id=${cash}&category=donation`));
    expect(donations.body.items.map((e: any) => e.running_balance)).toEqual([100_000]);
  });

  it('answers 409 BALANCE_BELOW_ZERO before money out takes an account below zero, and records it once confirmed', async () => {
    const cash = await newAccount('Kas Tipis', { opening_balance: 100_000, opening_date: '2026-10-01' });
    const before = await entryCount();
    const over = await entry(cash, 'out', 120_000, '2026-10-03');
    expect(over.status).toBe(409);
    expect(over.body.error).toMatchObject({
      code: 'BALANCE_BELOW_ZERO',
      field: 'amount',
      details: { account_id: cash, lowest_balance: -20_000 },
    });
    expect(await entryCount()).toBe(before);

    const exact = await entry(cash, 'out', 100_000, '2026-10-03');
    expect(exact.status, exact.text).toBe(201);
    expect((await entry(cash, 'in', 40_000, '2026-10-10')).status).toBe(201);
    expect((await entry(cash, 'out', 30_000, '2026-10-20')).status).toBe(201);
    // Back-dated before the money came in: the account would be below zero from the 4th to the 10th.
    const backDated = await entry(cash, 'out', 5_000, '2026-10-04');
    expect(backDated.status).toBe(409);
    expect(backDated.body.error.details.lowest_balance).toBe(-5_000);
    // Dated after the money came in but leaving less than a later withdrawal needs.
    const squeezed = await entry(cash, 'out', 20_000, '2026-10-11');
    expect(squeezed.status).toBe(409);
    expect(squeezed.body.error.details.lowest_balance).toBe(-10_000);

    const confirmed = await entry(cash, 'out', 20_000, '2026-10-11', { confirm_below_zero: true });
    expect(confirmed.status, confirmed.text).toBe(201);
    const list = await admin.get(cb(`/entries?account_id=${cash}`));
    expect(list.body.items[0]).toMatchObject({ entry_date: '2026-10-20', running_balance: -10_000 });
    expect((await admin.get(cb('/verify'))).body.ok).toBe(true);
  });

  it('lets one of ten withdrawals at once through when there is money for one, and one of five adds of a name', async () => {
    const cash = await newAccount('Kas Rebutan', { opening_balance: 100_000, opening_date: '2026-10-01' });
    const outs = await Promise.all(Array.from({ length: 10 }, () => entry(cash, 'out', 60_000, '2026-10-02')));
    expect(outs.map((r) => r.status).sort()).toEqual([201, ...Array(9).fill(409)]);
    for (const r of outs.filter((x) => x.status === 409)) expect(r.body.error.code).toBe('BALANCE_BELOW_ZERO');
    const adds = await Promise.all(
      Array.from({ length: 5 }, () => admin.post(cb('/categories'), { name: 'Kerja Bakti', direction: 'out' })),
    );
    expect(adds.map((r) => r.status).sort()).toEqual([201, 409, 409, 409, 409]);
  });

  it('warns the same way before a transfer empties the account it comes from', async () => {
    const from = await newAccount('Kas Asal', { opening_balance: 10_000, opening_date: '2026-10-01' });
    const to = await newAccount('Kas Tujuan');
    const body = { from_account_id: from, to_account_id: to, amount: 15_000, entry_date: '2026-10-02' };
    const res = await admin.post(cb('/transfers'), body);
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('BALANCE_BELOW_ZERO');
    expect((await admin.post(cb('/transfers'), { ...body, confirm_below_zero: true })).status).toBe(201);
  });
});
