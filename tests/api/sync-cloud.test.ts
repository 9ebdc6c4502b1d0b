import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { syncSchedule } from '../../server/sync/sync-job.ts';
import { main } from '../../server/cli.ts';
import { pinSchemaVersion, platformDb, schemaVersion } from '../../server/sync/platform-db.ts';
import { apiClient, type ApiClient, type TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';

/**
 * An office desktop (SQLite) linked to a hosted instance (PostgreSQL, `pgUrl`), both real servers on 127.0.0.1:
 * pairing, push, pull, replays, a crash before the acknowledgement, a tampered desktop, schema versions, revocation.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let cloudHomeEstate: string;
let token: string;
const e = (p: string) => `/estates/${estateId}${p}`;

const COMPARED = [
  'units',
  'residents',
  'unit_occupancies',
  'fee_types',
  'billing_runs',
  'invoices',
  'invoice_lines',
  'payments',
  'payment_allocations',
  'cashbook_accounts',
  'cashbook_entries',
];

/** Either database across estates (PostgreSQL's row security would show a plain query nothing). */
const db = (server: TestServer) => platformDb(server.app);

/** Rows as both databases would agree on them: booleans as 0/1, integers as numbers. */
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

async function rowsOf(server: TestServer, table: string) {
  return canonicalRows(await db(server)(table).where({ estate_id: estateId }).select('*'));
}

async function countOn(server: TestServer, table: string) {
  return Number(((await db(server)(table).where({ estate_id: estateId }).count({ n: '*' }).first()) as { n: unknown }).n);
}

async function linkCode() {
  const res = await cloudAdmin.post('/sync/link-codes');
  expect(res.status, res.text).toBe(201);
  return res.body.code as string;
}

function push(body: unknown, bearer = token) {
  return cloudAdmin.withBearer(bearer).post('/sync/push', body);
}

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, cloudHomeEstate, office, estateId } = sites);
});
afterAll(() => sites?.close());

describe('sync between an office desktop and the hosted instance', () => {
  it('pairs with a one-time code: the estate keeps its id on the hosted instance, the code works once', async () => {
    const notKlustera = http.createServer((_req, res) => res.end('<html>router login</html>'));
    await new Promise<void>((resolve) => notKlustera.listen(0, '127.0.0.1', resolve));
    const port = (notKlustera.address() as AddressInfo).port;
    const page = await office.post(e('/sync/link'), { cloud_url: `http://127.0.0.1:${port}`, code: 'AAAA-BBBB-CCCC' });
    await new Promise((resolve) => notKlustera.close(resolve));
    expect(page.status).toBe(422);
    expect(page.body.error.code).toBe('SYNC_ANSWER_UNREADABLE');
    const closed = await office.post(e('/sync/link'), { cloud_url: `http://127.0.0.1:${port}`, code: 'AAAA-BBBB-CCCC' });
    expect(closed.body.error.code).toBe('SYNC_CLOUD_UNREACHABLE');
    expect((await office.post(e('/sync/link'), { cloud_url: 'ftp://awan.example', code: 'x' })).body.error.code).toBe('SYNC_URL_INVALID');
    const wrong = await office.post(e('/sync/link'), { cloud_url: cloud.url, code: 'AAAA-BBBB-CCCC' });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error.code).toBe('SYNC_CODE_INVALID');
    expect(await db(desktop)('sync_links').count({ n: '*' }).first()).toMatchObject({ n: 0 });

    const code = await linkCode();
    const linked = await office.post(e('/sync/link'), { cloud_url: `${cloud.url}/`, code: code.toLowerCase() });
    expect(linked.status, linked.text).toBe(201);
    expect(linked.body).toMatchObject({ linked: true, cloud_url: cloud.url, last_error: null });
    const estate = await db(cloud)('estates').where({ id: estateId }).first();
    expect(estate.name).toBe('Perumahan Griya Asri');
    const stored = await db(cloud)('sync_link_codes').first();
    expect(stored.code_hash).not.toContain(code.replace(/-/g, ''));
    token = (await db(desktop)('sync_links').where({ estate_id: estateId }).first()).token;
    expect(await db(cloud)('sync_credentials').where({ token_hash: token }).first()).toBeUndefined();

    const again = await cloudAdmin.post('/sync/pair', {
      code,
      site_id: 'site-other',
      schema_version: schemaVersion(cloud.app),
      estate: { id: '01900000-0000-7000-8000-000000000001', name: 'Lain', timezone: 'Asia/Jakarta' },
    });
    expect(again.status).toBe(422);
    expect(again.body.error.code).toBe('SYNC_CODE_INVALID');
  });

  it('refuses a link code after 10 wrong codes, and once it has expired', async () => {
    const pair = (code: string, id: string) =>
      apiClient(cloud.url).post('/sync/pair', {
        code,
        site_id: 'site-guess',
        schema_version: schemaVersion(cloud.app),
        estate: { id, name: 'Tebakan', timezone: 'Asia/Jakarta' },
      });
    const guessed = await linkCode();
    for (let i = 0; i < 10; i++)
      expect((await pair(`WRNG-WRNG-${String(i).padStart(4, 'X')}`, '01900000-0000-7000-8000-0000000000a1')).status).toBe(422);
    expect((await pair(guessed, '01900000-0000-7000-8000-0000000000a1')).body.error.code).toBe('SYNC_CODE_INVALID');
    const expired = await linkCode();
    await db(cloud)('sync_link_codes').whereNull('used_at').update({ expires_at: '2026-01-01T00:00:00.000Z' });
    expect((await pair(expired, '01900000-0000-7000-8000-0000000000a2')).body.error.code).toBe('SYNC_CODE_INVALID');
    expect(
      await db(cloud)('estates').whereIn('id', ['01900000-0000-7000-8000-0000000000a1', '01900000-0000-7000-8000-0000000000a2']),
    ).toEqual([]);
  });

  it('sends units, residents, a billing run, payments and cash-book entries up unchanged', async () => {
    const unitA = (await office.post(e('/units'), { code: 'A-1', occupancy: 'occupied' })).body.id;
    const unitB = (await office.post(e('/units'), { code: 'A-2', occupancy: 'occupied' })).body.id;
    const resident = await office.post(e('/residents'), { name: 'Budi Santoso', phone: '081234567890', unit_id: unitA, relation: 'owner' });
    expect(resident.status, resident.text).toBe(201);
    // Edited after its resident moved in: the unit must still reach the hosted instance before the occupancy naming it.
    expect((await office.patch(e(`/units/${unitA}`), { notes: 'pojok' })).status).toBe(200);
    expect(
      (await office.post(e('/fee-types'), { code: 'ipl', name: 'IPL', amount: 150000, basis: 'flat', effective_from: '2026-01' })).status,
    ).toBe(201);
    expect((await office.post(e('/billing-runs'), { period: '2026-06', due_date: '2026-06-10' })).status).toBe(201);
    const paid = await office.post(e('/payments'), { unit_id: unitA, amount: 150000, method: 'cash', paid_at: '2026-06-05T03:00:00.000Z' });
    expect(paid.status, paid.text).toBe(201);
    expect(
      (await office.post(e('/payments'), { unit_id: unitB, amount: 50000, method: 'cash', paid_at: '2026-06-06T03:00:00.000Z' })).status,
    ).toBe(201);
    const cash = (await office.get(e('/cashbook/accounts'))).body.items.find((a: { kind: string }) => a.kind === 'cash').id;
    const spent = await office.post(e('/cashbook/entries'), {
      account_id: cash,
      direction: 'out',
      amount: 40000,
      category: 'electricity',
      entry_date: '2026-06-07',
      description: 'Listrik pos satpam',
    });
    expect(spent.status, spent.text).toBe(201);
    expect((await office.get(e('/sync'))).body.waiting).toBeGreaterThan(10);

    const run = await office.post(e('/sync/run'));
    expect(run.status, run.text).toBe(200);
    expect(run.body).toMatchObject({ ok: true, error: null, waiting: 0, conflicts: 0 });
    for (const table of COMPARED) {
      const here = await rowsOf(desktop, table);
      expect(here.length, table).toBeGreaterThan(0);
      expect(await rowsOf(cloud, table), table).toEqual(here);
    }
    const status = (await office.get(e('/sync'))).body;
    expect(status).toMatchObject({ linked: true, waiting: 0, last_error: null, clock_warning: null });
    expect(status.last_sync_at).toEqual(expect.any(String));
    // What arrived is in the hosted instance's change log with its origin site and clock value.
    const origin = await db(cloud)('outbox').where({ estate_id: estateId, table_name: 'payments', row_id: paid.body.id }).first();
    const sent = await db(desktop)('outbox').where({ table_name: 'payments', row_id: paid.body.id }).first();
    expect(origin).toMatchObject({ site_id: desktop.app.sync.siteId, hlc: sent.hlc });
    // The search terms are never synced: the hosted instance builds its own for what arrived.
    const found = (await cloudAdmin.get(e('/units/search?q=santoso'))).body.items.map((u: { id: string }) => u.id);
    expect(found).toEqual([unitA]);
  });

  it('brings a unit and a resident edited on the hosted instance down to the desktop', async () => {
    const unit = await db(desktop)('units').where({ estate_id: estateId, code: 'A-2' }).first();
    const resident = await db(desktop)('residents').where({ estate_id: estateId }).first();
    expect((await cloudAdmin.patch(e(`/units/${unit.id}`), { notes: 'dijual, hubungi pengelola' })).status).toBe(200);
    expect((await cloudAdmin.patch(e(`/residents/${resident.id}`), { name: 'Budi Santosa' })).status).toBe(200);
    const run = await office.post(e('/sync/run'));
    expect(run.body).toMatchObject({ ok: true, pushed: 0 });
    expect(run.body.pulled).toBeGreaterThanOrEqual(2);
    expect((await office.get(e(`/units/${unit.id}`))).body.notes).toBe('dijual, hubungi pengelola');
    expect((await db(desktop)('residents').where({ id: resident.id }).first()).name).toBe('Budi Santosa');
    // The desktop's search finds the resident's unit by the name that came down.
    const found = (await office.get(e('/units/search?q=santosa'))).body.items.map((u: { code: string }) => u.code);
    expect(found).toEqual(['A-1']);
    expect(await rowsOf(cloud, 'units')).toEqual(await rowsOf(desktop, 'units'));
    // Nothing it received goes back up, and a second cycle has nothing new either way.
    expect((await office.post(e('/sync/run'))).body).toMatchObject({ ok: true, pushed: 0, pulled: 0, waiting: 0 });
  });

  it('applies a batch sent twice once', async () => {
    const unit = (await office.post(e('/units'), { code: 'C-9', occupancy: 'vacant' })).body.id;
    const row = await db(desktop)('units').where({ id: unit }).first();
    const entry = await db(desktop)('outbox').where({ row_id: unit }).first();
    const body = {
      batch_id: 'replay-test-1',
      changes: [{ table: 'units', row_id: unit, op: 'insert', hlc: entry.hlc, site_id: entry.site_id, row }],
    };
    const first = await push(body);
    expect(first.status, first.text).toBe(200);
    expect(first.body).toMatchObject({ applied: 1, replayed: false });
    const outboxBefore = await countOn(cloud, 'outbox');
    const second = await push(body);
    expect(second.body).toMatchObject({ applied: 1, replayed: true });
    expect(await countOn(cloud, 'outbox')).toBe(outboxBefore);
    expect(Number(((await db(cloud)('units').where({ id: unit }).count({ n: '*' }).first()) as { n: unknown }).n)).toBe(1);
  });

  it("carries a payment's proof file up byte for byte, and refuses proof bytes that are not base64", async () => {
    const unit = (await db(desktop)('units').where({ estate_id: estateId, code: 'A-1' }).first()).id;
    const paid = await office.post(e('/payments'), {
      unit_id: unit,
      amount: 25000,
      method: 'bank_transfer',
      paid_at: '2026-06-09T03:00:00.000Z',
    });
    expect(paid.status, paid.text).toBe(201);
    const png = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');
    const attached = await office.upload(
      e(`/payments/${paid.body.id}/proof`),
      {},
      { file: { filename: 'bukti.png', content: png, type: 'image/png' } },
    );
    expect(attached.status, attached.text).toBe(201);
    expect((await runSyncCycle(desktop.app, estateId)).ok).toBe(true);
    const held = await db(cloud)('payment_proofs').where({ owner_id: paid.body.id }).first();
    expect(Buffer.isBuffer(held.data) && held.data.equals(png)).toBe(true);

    // A proof whose bytes arrive as JSON's rendering of a Buffer would be stored as text: the batch is refused.
    const row = {
      ...(await db(desktop)('payment_proofs').where({ owner_id: paid.body.id }).first()),
      id: '01900000-0000-7000-8000-00000000b0b0',
    };
    row.data = { type: 'Buffer', data: [...png] };
    const entry = await db(desktop)('outbox').where({ table_name: 'payment_proofs' }).first();
    const refused = await push({
      batch_id: 'proof-bytes-not-base64',
      changes: [{ table: 'payment_proofs', row_id: row.id, op: 'insert', hlc: entry.hlc, site_id: entry.site_id, row }],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error.code).toBe('SYNC_BATCH_REJECTED');
    expect(await db(cloud)('payment_proofs').where({ id: row.id }).first()).toBeUndefined();
  });

  it('does not double a payment when the desktop crashes after the hosted instance applied it', async () => {
    const unit = (await db(desktop)('units').where({ estate_id: estateId, code: 'A-1' }).first()).id;
    const paid = await office.post(e('/payments'), { unit_id: unit, amount: 75000, method: 'cash', paid_at: '2026-06-08T03:00:00.000Z' });
    expect(paid.status).toBe(201);
    const crashed = await runSyncCycle(desktop.app, estateId, {
      beforeAck: () => {
        throw new Error('power cut');
      },
    });
    expect(crashed.ok).toBe(false);
    expect(crashed.waiting).toBeGreaterThan(0);
    expect(await db(cloud)('payments').where({ id: paid.body.id }).first()).toBeDefined();
    const paymentsBefore = await countOn(cloud, 'payments');
    const entriesBefore = await countOn(cloud, 'cashbook_entries');

    const resent = await runSyncCycle(desktop.app, estateId);
    expect(resent).toMatchObject({ ok: true, waiting: 0 });
    expect(await countOn(cloud, 'payments')).toBe(paymentsBefore);
    expect(await countOn(cloud, 'cashbook_entries')).toBe(entriesBefore);
    for (const table of ['payments', 'payment_allocations', 'cashbook_entries']) {
      expect(await rowsOf(cloud, table), table).toEqual(await rowsOf(desktop, table));
    }
  });

  it('keeps a money row that arrives with other content for review instead of overwriting it', async () => {
    const payment = await db(desktop)('payments').where({ estate_id: estateId }).first();
    const entry = await db(desktop)('outbox').where({ row_id: payment.id }).first();
    const res = await push({
      batch_id: 'tampered-amount',
      changes: [
        { table: 'payments', row_id: payment.id, op: 'insert', hlc: entry.hlc, site_id: entry.site_id, row: { ...payment, amount: 1 } },
      ],
    });
    expect(res.body).toMatchObject({ applied: 0, conflicts: 1 });
    expect(Number((await db(cloud)('payments').where({ id: payment.id }).first()).amount)).toBe(Number(payment.amount));
    expect(await countOn(cloud, 'sync_conflicts')).toBe(1);
  });

  it("refuses a tampered desktop's change to another estate's row and writes nothing of its batch", async () => {
    const foreign = await cloudAdmin.post(`/estates/${cloudHomeEstate}/units`, { code: 'Z-1', occupancy: 'occupied' });
    const foreignRow = await db(cloud)('units').where({ id: foreign.body.id }).first();
    const own = (await office.post(e('/units'), { code: 'D-1', occupancy: 'occupied' })).body.id;
    const ownRow = await db(desktop)('units').where({ id: own }).first();
    const hlc = (await db(desktop)('outbox').where({ row_id: own }).first()).hlc;
    const auditBefore = Number(((await db(cloud)('audit_log').count({ n: '*' }).first()) as { n: string }).n);
    for (const row of [
      { ...foreignRow, notes: 'diambil alih' },
      { ...foreignRow, estate_id: estateId, notes: 'diambil alih' },
    ]) {
      const res = await push({
        batch_id: `tampered-${row.estate_id}`,
        changes: [
          { table: 'units', row_id: own, op: 'insert', hlc, site_id: 'site-x', row: ownRow },
          { table: 'units', row_id: foreignRow.id, op: 'update', hlc: '999999999999999-00000-site-x', site_id: 'site-x', row },
        ],
      });
      expect(res.status).toBe(403);
      expect(res.body.error.code).toBe('SYNC_FOREIGN_ESTATE');
    }
    const users = await push({
      batch_id: 'tampered-users',
      changes: [
        {
          table: 'users',
          row_id: 'u1',
          op: 'insert',
          hlc,
          site_id: 'site-x',
          row: { id: 'u1', estate_id: estateId, is_platform_admin: true },
        },
      ],
    });
    expect(users.body.error.code).toBe('SYNC_PLATFORM_ADMIN_REFUSED');
    expect((await db(cloud)('units').where({ id: foreignRow.id }).first()).notes).toBe(foreignRow.notes);
    expect(await db(cloud)('units').where({ id: own }).first()).toBeUndefined();
    expect(await db(cloud)('sync_batches').where('id', 'like', 'tampered-%').whereNot('id', 'tampered-amount')).toEqual([]);
    expect(Number(((await db(cloud)('audit_log').count({ n: '*' }).first()) as { n: string }).n)).toBe(auditBefore);
  });

  it('tells a desktop on an older schema to upgrade and keeps its changes waiting', async () => {
    pinSchemaVersion(cloud.app, '20991231000000_later');
    try {
      const res = await cloudAdmin.withBearer(token).post('/sync/handshake', {
        site_id: desktop.app.sync.siteId,
        schema_version: '20261121000001_foundation',
        clock: new Date().toISOString(),
      });
      expect(res.status).toBe(409);
      expect(res.body.error.code).toBe('SYNC_UPGRADE_REQUIRED');
      const run = (await office.post(e('/sync/run'))).body;
      expect(run).toMatchObject({ ok: false, error: { code: 'SYNC_UPGRADE_REQUIRED' } });
      expect(run.waiting).toBeGreaterThan(0);
      const status = (await office.get(e('/sync'), { 'accept-language': 'en' })).body;
      expect(status.last_error.code).toBe('SYNC_UPGRADE_REQUIRED');
      expect(status.last_error.message).toMatch(/^The office desktop runs an older Klustera/);
      expect((await office.get(e('/sync'))).body.last_error.message).toMatch(/^Versi Klustera/);
    } finally {
      pinSchemaVersion(cloud.app, null);
    }
    expect((await office.post(e('/sync/run'))).body).toMatchObject({ ok: true, waiting: 0 });
  });

  it('warns the office when the clocks differ by more than 2 minutes, and syncs anyway', async () => {
    expect((await office.post(e('/units'), { code: 'G-7', occupancy: 'occupied' })).status).toBe(201);
    const realNow = Date.now.bind(Date);
    // The desktop's reading of its clock, 5 minutes behind the hosted instance's answer.
    const behind = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 5 * 60_000);
    let run: Awaited<ReturnType<typeof runSyncCycle>>;
    try {
      run = await runSyncCycle(desktop.app, estateId);
    } finally {
      behind.mockRestore();
    }
    expect(run).toMatchObject({ ok: true, waiting: 0 });
    expect(run.clock_skew_ms).toBeGreaterThan(4 * 60_000);
    expect(await db(cloud)('units').where({ estate_id: estateId, code: 'G-7' }).first()).toBeDefined();
    const status = (await office.get(e('/sync'))).body;
    expect(status.clock_warning).toMatch(/^Jam komputer kantor berbeda/);
    expect((await office.get(e('/sync'), { 'accept-language': 'en' })).body.clock_warning).toMatch(/^The office computer's clock/);
    expect((await office.post(e('/sync/run'))).body.clock_skew_ms).toBeLessThan(60_000);
    expect((await office.get(e('/sync'))).body.clock_warning).toBeNull();
  });

  it('runs one cycle from the command line with a plain summary', async () => {
    expect((await office.post(e('/units'), { code: 'E-5', occupancy: 'occupied' })).status).toBe(201);
    const lines: string[] = [];
    const log = console.log;
    console.log = (line: string) => lines.push(line);
    let code: number;
    try {
      code = await main(['sync', '--data-dir', desktop.dataDir]);
    } finally {
      console.log = log;
    }
    expect(code).toBe(0);
    expect(lines.join('\n')).toMatch(/^Perumahan Griya Asri: [1-9]\d* perubahan dikirim, 0 diterima, 0 menunggu, 0 konflik\.$/);
    expect(await db(cloud)('units').where({ estate_id: estateId, code: 'E-5' }).first()).toBeDefined();
  });

  it('runs a cycle from the minute schedule while linked', async () => {
    expect((await office.post(e('/units'), { code: 'F-6', occupancy: 'occupied' })).status).toBe(201);
    await syncSchedule.plan(desktop.app, new Date());
    const outcomes = await desktop.jobs.runDue();
    expect(outcomes.length).toBeGreaterThan(0);
    expect(await db(cloud)('units').where({ estate_id: estateId, code: 'F-6' }).first()).toBeDefined();
    expect((await office.get(e('/sync'))).body.waiting).toBe(0);
  });

  it('answers 401 to a revoked credential and shows the office why', async () => {
    const list = await cloudAdmin.get(e('/sync/credentials'));
    expect(list.body.items).toHaveLength(1);
    expect((await cloudAdmin.delete(e(`/sync/credentials/${list.body.items[0].id}`))).status).toBe(204);
    const res = await push({ batch_id: 'after-revoke', changes: [] });
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('SYNC_CREDENTIAL_INVALID');
    expect((await cloudAdmin.withBearer(token).post('/sync/pull', { cursor: '' })).status).toBe(401);
    const run = (await office.post(e('/sync/run'))).body;
    expect(run.error.code).toBe('SYNC_CREDENTIAL_INVALID');
    expect((await office.delete(e('/sync/link'))).status).toBe(204);
    expect((await office.get(e('/sync'))).body).toMatchObject({ linked: false });
  });
});
