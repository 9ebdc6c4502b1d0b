import { spawnSync } from 'node:child_process';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, TEST_BACKEND, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: ApiClient;
let estateId: string;
let cash: string;
let bank: string;
const cb = () => `/estates/${estateId}/cashbook`;

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const c = await admin.post(`${cb()}/accounts`, {
    name: 'Kas Bendahara',
    kind: 'cash',
    opening_balance: 2_000_000,
    opening_date: '2026-09-30',
  });
  expect(c.status).toBe(201);
  cash = c.body.id;
  const b = await admin.post(`${cb()}/accounts`, { name: 'BCA Paguyuban', kind: 'bank', institution: 'BCA', account_number: '1234567890' });
  expect(b.status).toBe(201);
  bank = b.body.id;
});

afterAll(async () => {
  await server?.close();
});

async function balances(period?: string) {
  const res = await admin.get(`${cb()}/accounts${period ? `?period=${period}` : ''}`);
  expect(res.status).toBe(200);
  return Object.fromEntries(res.body.items.map((a: any) => [a.id, a]));
}

describe('cash book', () => {
  it('records money in and out and derives balances from the entries', async () => {
    const spend = await admin.post(`${cb()}/entries`, {
      account_id: cash,
      direction: 'out',
      amount: 1_500_000,
      category: 'guard_salary',
      entry_date: '2026-10-05',
      description: 'Gaji satpam Oktober',
      proof_number: 'NOTA-17',
    });
    expect(spend.status).toBe(201);
    expect(spend.body).toMatchObject({ direction: 'out', amount: 1_500_000, category: 'guard_salary', seq: 2 });
    const donation = await admin.post(`${cb()}/entries`, {
      account_id: cash,
      direction: 'in',
      amount: 250_000,
      category: 'donation',
      entry_date: '2026-10-06',
      description: 'Sumbangan warga',
    });
    expect(donation.status).toBe(201);

    const all = await balances();
    expect(all[cash]).toMatchObject({ opening_balance: 2_000_000, balance: 750_000 });
    expect(all[bank]).toMatchObject({ opening_balance: 0, balance: 0 });
    const oct = await balances('2026-10');
    expect(oct[cash]).toMatchObject({ period_opening: 2_000_000, period_in: 250_000, period_out: 1_500_000, period_closing: 750_000 });

    const list = await admin.get(`${cb()}/entries?account_id=${cash}&from=2026-10-01&to=2026-10-31`);
    expect(list.body.total).toBe(2);
    expect(list.body.items.map((e: any) => e.description)).toEqual(['Sumbangan warga', 'Gaji satpam Oktober']);
  });

  it('moves money between accounts as two linked entries, and reverses a transfer whole', async () => {
    const t = await admin.post(`${cb()}/transfers`, {
      from_account_id: cash,
      to_account_id: bank,
      amount: 500_000,
      entry_date: '2026-10-10',
    });
    expect(t.status).toBe(201);
    expect(t.body.entries.map((e: any) => [e.account_id, e.direction, e.amount])).toEqual([
      [cash, 'out', 500_000],
      [bank, 'in', 500_000],
    ]);
    let all = await balances();
    expect(all[cash].balance).toBe(250_000);
    expect(all[bank].balance).toBe(500_000);

    const rev = await admin.post(`${cb()}/entries/${t.body.entries[1].id}/reverse`, { reason: 'Salah rekening', entry_date: '2026-10-11' });
    expect(rev.status).toBe(201);
    expect(rev.body.entries).toHaveLength(2);
    all = await balances();
    expect(all[cash].balance).toBe(750_000);
    expect(all[bank].balance).toBe(0);

    const again = await admin.post(`${cb()}/entries/${t.body.entries[0].id}/reverse`, { reason: 'lagi' });
    expect(again.status).toBe(409);
    expect(again.body.error.code).toBe('ALREADY_REVERSED');
    const revOfRev = await admin.post(`${cb()}/entries/${rev.body.entries[0].id}/reverse`, { reason: 'lagi' });
    expect(revOfRev.body.error.code).toBe('ENTRY_IS_REVERSAL');
  });

  it('records one entry for a retried request with the same Idempotency-Key', async () => {
    const body = {
      account_id: bank,
      direction: 'in',
      amount: 33_000,
      category: 'donation',
      entry_date: '2026-10-07',
      description: 'Donasi transfer',
    };
    const first = await admin.post(`${cb()}/entries`, body, { 'Idempotency-Key': 'donasi-0710' });
    const retry = await admin.post(`${cb()}/entries`, body, { 'Idempotency-Key': 'donasi-0710' });
    expect(first.status).toBe(201);
    expect(retry.status).toBe(201);
    expect(retry.body.id).toBe(first.body.id);
    expect((await admin.get(`${cb()}/entries?category=donation&account_id=${bank}`)).body.total).toBe(1);
    const rev = await admin.post(`${cb()}/entries/${first.body.id}/reverse`, { reason: 'Dobel', entry_date: '2026-10-07' });
    expect(rev.status).toBe(201);
  });

  it('refuses a transfer to the same account and an overdrawn-looking amount of the wrong type', async () => {
    const same = await admin.post(`${cb()}/transfers`, { from_account_id: cash, to_account_id: cash, amount: 1, entry_date: '2026-10-10' });
    expect(same.status).toBe(400);
    expect(same.body.error.field).toBe('to_account_id');
  });

  it('rejects bad input with 400 and writes nothing', async () => {
    const before = (await admin.get(`${cb()}/entries?limit=1`)).body.total;
    const bad: [unknown, string][] = [
      [{ account_id: cash, direction: 'in', amount: 1500.5, category: 'donation', entry_date: '2026-10-06', description: 'x' }, 'amount'],
      [{ account_id: cash, direction: 'in', amount: -5, category: 'donation', entry_date: '2026-10-06', description: 'x' }, 'amount'],
      [{ account_id: cash, direction: 'in', amount: '100000', category: 'donation', entry_date: '2026-10-06', description: 'x' }, 'amount'],
      [
        { account_id: cash, direction: 'sideways', amount: 100, category: 'donation', entry_date: '2026-10-06', description: 'x' },
        'direction',
      ],
      [{ account_id: cash, direction: 'in', amount: 100, category: 'donation', entry_date: '2026-02-30', description: 'x' }, 'entry_date'],
      [
        { account_id: cash, direction: 'in', amount: 100, category: 'opening_balance', entry_date: '2026-10-06', description: 'x' },
        'category',
      ],
      [
        { account_id: 'not-a-uuid', direction: 'in', amount: 100, category: 'donation', entry_date: '2026-10-06', description: 'x' },
        'account_id',
      ],
      [{ account_id: cash, direction: 'in', amount: 100, category: 'donation', entry_date: '2026-10-06', description: '' }, 'description'],
    ];
    for (const [body, field] of bad) {
      const res = await admin.post(`${cb()}/entries`, body);
      expect(res.status, JSON.stringify(body)).toBe(400);
      expect(res.body.error.code).toBe('VALIDATION_FAILED');
      expect(res.body.error.field).toBe(field);
    }
    const junk = await admin.post(`${cb()}/entries`, '{"amount": ', {});
    expect(junk.status).toBe(400);
    const unknownAccount = await admin.post(`${cb()}/entries`, {
      account_id: '01900000-0000-7000-8000-000000000000',
      direction: 'in',
      amount: 100,
      category: 'donation',
      entry_date: '2026-10-06',
      description: 'x',
    });
    expect(unknownAccount.status).toBe(404);
    expect((await admin.get(`${cb()}/entries?limit=1`)).body.total).toBe(before);
  });

  it('closes a month: entries dated inside it are refused until it is reopened with a reason', async () => {
    const close = await admin.post(`${cb()}/close`, { period: '2026-10' });
    expect(close.status).toBe(201);
    expect(close.body.accounts.find((a: any) => a.id === cash)).toMatchObject({ period_opening: 2_000_000, period_closing: 750_000 });
    expect((await admin.post(`${cb()}/close`, { period: '2026-10' })).body.error.code).toBe('MONTH_ALREADY_CLOSED');
    const closed = await admin.get(`${cb()}/periods`);
    expect(closed.body.items).toEqual([
      { period: '2026-10', status: 'closed', changed_at: close.body.closed_at, changed_by_name: 'Ibu Ketua', reason: null },
    ]);

    const entry = {
      account_id: cash,
      direction: 'out',
      amount: 100_000,
      category: 'electricity',
      entry_date: '2026-10-31',
      description: 'Listrik pos',
    };
    const refused = await admin.post(`${cb()}/entries`, entry);
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('MONTH_CLOSED');
    const transferRefused = await admin.post(`${cb()}/transfers`, {
      from_account_id: cash,
      to_account_id: bank,
      amount: 1,
      entry_date: '2026-10-15',
    });
    expect(transferRefused.body.error.code).toBe('MONTH_CLOSED');
    // The month after is still open.
    expect((await admin.post(`${cb()}/entries`, { ...entry, entry_date: '2026-11-01' })).status).toBe(201);

    expect((await admin.post(`${cb()}/reopen`, { period: '2026-10' })).status).toBe(400);
    const reopen = await admin.post(`${cb()}/reopen`, { period: '2026-10', reason: 'Nota listrik terlambat' });
    expect(reopen.status).toBe(201);
    expect((await admin.post(`${cb()}/entries`, entry)).status).toBe(201);
    const periods = await admin.get(`${cb()}/periods`);
    expect(periods.body.items).toEqual([expect.objectContaining({ period: '2026-10', status: 'open', reason: 'Nota listrik terlambat' })]);

    const audit = await server.db.knex('audit_log').where({ estate_id: estateId, action: 'cashbook.reopen' });
    expect(audit).toHaveLength(1);
    expect(audit[0].actor_user_id).toBeTruthy();
    expect(JSON.parse(audit[0].after)).toMatchObject({ period: '2026-10', action: 'reopen', reason: 'Nota listrik terlambat' });
    expect((await admin.post(`${cb()}/reopen`, { period: '2026-10', reason: 'x' })).body.error.code).toBe('MONTH_NOT_CLOSED');
    expect((await admin.post(`${cb()}/close`, { period: '2999-01' })).body.error.code).toBe('PERIOD_IN_FUTURE');
    expect((await admin.post(`${cb()}/close`, { period: '2026-13' })).status).toBe(400);
  });

  it('keeps attachments with an entry', async () => {
    const e = await admin.post(`${cb()}/entries`, {
      account_id: cash,
      direction: 'out',
      amount: 75_000,
      category: 'repairs',
      entry_date: '2026-11-02',
      description: 'Lampu jalan',
    });
    const pdf = Buffer.from('%PDF-1.4\n% nota\n');
    const up = await admin.upload(
      `${cb()}/entries/${e.body.id}/attachments`,
      {},
      { file: { filename: 'nota.pdf', content: pdf, type: 'application/pdf' } },
    );
    expect(up.status).toBe(201);
    const fake = await admin.upload(
      `${cb()}/entries/${e.body.id}/attachments`,
      {},
      { file: { filename: 'x.pdf', content: Buffer.from('MZ...'), type: 'application/pdf' } },
    );
    expect(fake.status).toBe(400);
    const list = await admin.get(`${cb()}/entries/${e.body.id}/attachments`);
    expect(list.body.items).toHaveLength(1);
    const dl = await fetch(`${server.url}/api/v1${cb()}/attachments/${up.body.id}`, { headers: { cookie: admin.cookie! } });
    expect(Buffer.from(await dl.arrayBuffer()).equals(pdf)).toBe(true);
  });

  it("answers 404 for another estate's accounts and entries", async () => {
    const other = await admin.post('/estates', { name: 'Perumahan Lain' });
    expect(other.status).toBe(201);
    const otherCb = `/estates/${other.body.id}/cashbook`;
    const acc = await admin.post(`${otherCb}/accounts`, {
      name: 'Kas Lain',
      kind: 'cash',
      opening_balance: 10_000,
      opening_date: '2026-11-01',
    });
    const otherEntry = (await admin.get(`${otherCb}/entries`)).body.items[0];
    const treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    for (const client of [admin, treasurer]) {
      expect((await client.get(`${cb()}/entries/${otherEntry.id}`)).status).toBe(404);
      expect((await client.post(`${cb()}/entries/${otherEntry.id}/reverse`, { reason: 'x' })).status).toBe(404);
      expect((await client.get(`${cb()}/entries/${otherEntry.id}/attachments`)).status).toBe(404);
      const res = await client.post(`${cb()}/entries`, {
        account_id: acc.body.id,
        direction: 'in',
        amount: 1,
        category: 'donation',
        entry_date: '2026-11-03',
        description: 'x',
      });
      expect(res.status).toBe(404);
      const tr = await client.post(`${cb()}/transfers`, {
        from_account_id: acc.body.id,
        to_account_id: cash,
        amount: 1,
        entry_date: '2026-11-03',
      });
      expect(tr.status).toBe(404);
    }
    expect((await treasurer.get(`${otherCb}/entries`)).status).toBe(404);
    // Each estate has its own chain.
    expect((await admin.get(`${otherCb}/verify`)).body).toMatchObject({ ok: true, checked: 1 });
  });

  it('lets staff read but not write, and residents neither', async () => {
    const staff = (await userWithRole(server.url, admin, estateId, 'staff')).client;
    expect((await staff.get(`${cb()}/entries`)).status).toBe(200);
    expect((await staff.post(`${cb()}/close`, { period: '2026-09' })).status).toBe(403);
    const resident = (await userWithRole(server.url, admin, estateId, 'resident')).client;
    expect((await resident.get(`${cb()}/accounts`)).status).toBe(403);
  });

  it('detects a hand edit of the database and names the first broken entry', async () => {
    const ok = await admin.get(`${cb()}/verify`);
    expect(ok.body).toMatchObject({ ok: true, first_broken: null });
    const count = ok.body.checked;
    expect(count).toBeGreaterThan(5);

    const target = (await admin.get(`${cb()}/entries?category=guard_salary`)).body.items[0];
    if (TEST_BACKEND === 'postgres') {
      // Straight into the database, past the server's journal, as someone with a SQL client would.
      await server.db.knex.raw('UPDATE cashbook_entries SET amount = 150000 WHERE id = ?', [target.id]);
    } else {
      // A second connection to the SQLite file, as someone with a database browser would.
      const raw = new Database(path.join(server.dataDir, 'klustera.sqlite'));
      try {
        raw.prepare('UPDATE cashbook_entries SET amount = 150000 WHERE id = ?').run(target.id);
      } finally {
        raw.close();
      }
    }
    const broken = await admin.get(`${cb()}/verify`);
    expect(broken.body.ok).toBe(false);
    expect(broken.body.first_broken).toEqual({ seq: target.seq, entry_id: target.id, reason: 'hash_mismatch' });
    expect(broken.body.checked).toBe(target.seq - 1);

    // The same check from the command line, against the data folder, for cron jobs and backup scripts.
    const where = server.databaseUrl ? ['--database-url', server.databaseUrl] : ['--data-dir', server.dataDir];
    const cli = spawnSync(process.execPath, ['bin/klustera.mjs', 'verify-cashbook', ...where], { encoding: 'utf8' });
    expect(cli.status).toBe(1);
    expect(cli.stdout).toContain(`BROKEN  Perumahan Griya Asri (${estateId}): entry #${target.seq} ${target.id}`);
    expect(cli.stdout).toMatch(/OK +Perumahan Lain/);
  });
});
