import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyCashbookChain } from '../../server/cashbook/verify.ts';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import type { ApiClient, TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * One writer per cash-book chain: an office desktop (SQLite) linked to a hosted instance (PostgreSQL) both take money
 * while apart; the desktop, the estate's home site, posts what the hosted instance recorded when it arrives, so both
 * sides end with one chain that verifies and every payment posted once. After unlinking, the hosted instance is home.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const db = (server: TestServer) => platformDb(server.app);

async function entries(server: TestServer) {
  return (await db(server)('cashbook_entries').where({ estate_id: estateId }).orderBy('seq').select('*')).map((row) => ({
    ...row,
    seq: Number(row.seq),
    amount: Number(row.amount),
  }));
}

async function count(server: TestServer, table: string) {
  return Number(((await db(server)(table).where({ estate_id: estateId }).count({ n: '*' }).first()) as { n: unknown }).n);
}

async function pay(client: ApiClient, amount: number, day: string) {
  const res = await client.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: `${day}T03:00:00.000Z` });
  expect(res.status, res.text).toBe(201);
  return res.body.id as string;
}

async function syncUntilQuiet() {
  for (let i = 0; i < 4; i++) {
    const summary = await runSyncCycle(desktop.app, estateId);
    expect(summary.error).toBeNull();
    if (summary.pushed === 0 && summary.pulled === 0 && summary.waiting === 0) return;
  }
  throw new Error('sync did not settle');
}

/** Both sides hold the same chain, it verifies on both, and each money fact is posted exactly once. */
async function expectOneChain(payments: string[]) {
  const here = await entries(desktop);
  const there = await entries(cloud);
  expect(there).toEqual(here);
  for (const server of [desktop, cloud]) {
    const verified = await verifyCashbookChain(db(server), estateId);
    expect(verified).toMatchObject({ ok: true, checked: here.length });
  }
  for (const payment of payments) {
    expect(here.filter((row) => row.source_type === 'payment' && row.source_id === payment)).toHaveLength(1);
  }
  return here;
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  unitId = (await office.post(e('/units'), { code: 'B-1', occupancy: 'occupied' })).body.id;
  await pay(office, 100000, '2026-06-01');
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code;
  const linked = await office.post(e('/sync/link'), { cloud_url: cloud.url, code });
  expect(linked.status, linked.text).toBe(201);
  await syncUntilQuiet();
});
afterAll(() => sites?.close());

describe("the estate's cash book has one writer, its home site", () => {
  it('records the linked desktop as the home on both sides', async () => {
    const siteId = desktop.app.sync.siteId;
    expect((await db(desktop)('estates').where({ id: estateId }).first()).cashbook_home_site_id).toBe(siteId);
    expect((await db(cloud)('estates').where({ id: estateId }).first()).cashbook_home_site_id).toBe(siteId);
  });

  it('refuses manual entries, transfers, corrections and closing on the hosted instance with 409, writing nothing', async () => {
    const accounts = (await cloudAdmin.get(e('/cashbook/accounts'))).body.items as { id: string; kind: string }[];
    const cash = accounts.find((a) => a.kind === 'cash')!.id;
    // An account is reference data: the hosted instance may add one; its opening balance is an entry, so not here.
    const bank = await cloudAdmin.post(e('/cashbook/accounts'), { name: 'Bank RW', kind: 'bank' });
    expect(bank.status, bank.text).toBe(201);
    const [first] = await entries(cloud);
    const before = { entries: await count(cloud, 'cashbook_entries'), outbox: await count(cloud, 'outbox') };
    const attempts = [
      cloudAdmin.post(e('/cashbook/entries'), {
        account_id: cash,
        direction: 'out',
        amount: 5000,
        category: 'electricity',
        entry_date: '2026-06-02',
        description: 'Listrik',
      }),
      cloudAdmin.post(e('/cashbook/transfers'), {
        from_account_id: cash,
        to_account_id: bank.body.id,
        amount: 1000,
        entry_date: '2026-06-02',
        confirm_below_zero: true,
      }),
      cloudAdmin.post(e(`/cashbook/entries/${first.id}/reverse`), { reason: 'salah' }),
      cloudAdmin.post(e('/cashbook/close'), { period: '2026-06' }),
      cloudAdmin.post(e('/cashbook/accounts'), { name: 'Dompet', kind: 'ewallet', opening_balance: 1000, opening_date: '2026-06-01' }),
    ];
    for (const res of await Promise.all(attempts)) {
      expect(res.status, res.text).toBe(409);
      expect(res.body.error.code).toBe('CASHBOOK_HOME_ELSEWHERE');
      expect(res.body.error.message).toContain('komputer kantor');
    }
    const english = await cloudAdmin.post(e('/cashbook/close'), { period: '2026-06' }, { 'accept-language': 'en' });
    expect(english.body.error.message).toBe(
      "This estate's cash book is kept on the linked office desktop. Record cash entries and close months there.",
    );
    expect({ entries: await count(cloud, 'cashbook_entries'), outbox: await count(cloud, 'outbox') }).toEqual(before);
  });

  it('posts payments taken on both sides while apart once each, in one chain that verifies on both', async () => {
    const before = (await entries(desktop)).length;
    const online = await pay(cloudAdmin, 40000, '2026-06-03');
    const office1 = await pay(office, 25000, '2026-06-03');
    const online2 = await pay(cloudAdmin, 15000, '2026-06-04');
    // Recorded on the hosted instance, but not posted there: the desktop writes the chain.
    expect((await db(cloud)('payments').where({ id: online }).first()).amount).toBeDefined();
    expect(await db(cloud)('cashbook_entries').where({ source_id: online })).toEqual([]);

    // One cycle: the office's payment goes up, the online ones come down and are posted, and their entries go up.
    expect(await runSyncCycle(desktop.app, estateId)).toMatchObject({ ok: true, error: null, waiting: 0, conflicts: 0 });
    const chain = await expectOneChain([online, office1, online2]);
    expect(await runSyncCycle(desktop.app, estateId)).toMatchObject({ ok: true, pushed: 0, pulled: 0, waiting: 0 });
    expect(chain.length).toBe(before + 3);
    const posted = chain.find((row) => row.source_id === online)!;
    expect(posted).toMatchObject({ direction: 'in', amount: 40000, entry_date: '2026-06-03', category: 'iuran' });
    expect(posted.description).toContain((await db(cloud)('payments').where({ id: online }).first()).number);
  });

  it("posts a reversal and a credit refund made on the hosted instance on the desktop's chain", async () => {
    const online = await pay(cloudAdmin, 30000, '2026-06-05');
    await syncUntilQuiet();
    const reversed = await cloudAdmin.post(e(`/payments/${online}/reverse`), { reason: 'dobel' });
    expect(reversed.status, reversed.text).toBe(200);
    const refund = await cloudAdmin.post(e(`/units/${unitId}/credit-refunds`), { amount: 10000, method: 'cash' });
    expect(refund.status, refund.text).toBe(201);
    expect(await db(cloud)('cashbook_entries').where({ source_type: 'payment_reversal', source_id: online })).toEqual([]);
    await syncUntilQuiet();
    const chain = await expectOneChain([online]);
    expect(chain.filter((row) => row.source_type === 'payment_reversal' && row.source_id === online)).toHaveLength(1);
    expect(chain.filter((row) => row.source_type === 'credit_refund' && row.source_id === refund.body.refund.id)).toHaveLength(1);
  });

  it('posts nothing twice when the hosted change log is pulled again from the start', async () => {
    const before = await entries(desktop);
    const outbox = await count(desktop, 'outbox');
    await db(desktop)('sync_links').where({ estate_id: estateId }).update({ pull_cursor: '' });
    const again = await runSyncCycle(desktop.app, estateId);
    expect(again).toMatchObject({ ok: true, pushed: 0, waiting: 0 });
    expect(again.pulled).toBeGreaterThan(3);
    expect(await entries(desktop)).toEqual(before);
    expect(await count(desktop, 'outbox')).toBe(outbox);
    await expectOneChain([]);
  });

  it('makes the hosted instance the home after unlinking: it posts what was waiting and takes manual entries', async () => {
    const waiting = await pay(cloudAdmin, 20000, '2026-06-06');
    const unlinked = await office.delete(e('/sync/link'));
    expect(unlinked.status, unlinked.text).toBe(204);
    expect((await db(cloud)('estates').where({ id: estateId }).first()).cashbook_home_site_id).toBeNull();
    expect((await db(desktop)('estates').where({ id: estateId }).first()).cashbook_home_site_id).toBeNull();
    // The payment taken online before the unlink never reached the desktop: the new home posts it, once.
    expect(await db(cloud)('cashbook_entries').where({ source_type: 'payment', source_id: waiting })).toHaveLength(1);
    const cash = ((await cloudAdmin.get(e('/cashbook/accounts'))).body.items as { id: string; kind: string }[]).find(
      (a) => a.kind === 'cash',
    )!.id;
    const spent = await cloudAdmin.post(e('/cashbook/entries'), {
      account_id: cash,
      direction: 'out',
      amount: 5000,
      category: 'electricity',
      entry_date: '2026-06-07',
      description: 'Listrik pos satpam',
    });
    expect(spent.status, spent.text).toBe(201);
    expect((await pay(cloudAdmin, 12000, '2026-06-07')) && (await verifyCashbookChain(db(cloud), estateId)).ok).toBe(true);
    // The desktop goes on alone with its own copy.
    await pay(office, 11000, '2026-06-07');
    expect((await verifyCashbookChain(db(desktop), estateId)).ok).toBe(true);
  });
});
