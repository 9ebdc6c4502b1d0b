import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { verifyCashbookChain } from '../../server/cashbook/verify.ts';
import { isCarried, withoutSiteLocal } from '../../server/sync/apply-changes.ts';
import { runSyncCycle, type SyncSummary } from '../../server/sync/desktop-service.ts';
import { HybridLogicalClock } from '../../server/sync/hlc.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import {
  apiClient,
  type ApiClient,
  type ApiResponse,
  setupEstate,
  startTestServer,
  tableNames,
  type TestServer,
} from '../support/server.ts';

/**
 * Property: two office desktops (SQLite) of different estates and one hosted instance (PostgreSQL, `pgUrl`), all real
 * servers on 127.0.0.1, each desktop linked to its estate on the hosted instance through a proxy that can cut it off.
 * Random writes on every side, syncs that crash before or after the acknowledgement, partitions, replayed batches and
 * a desktop clock a day off; after healing (every partition lifted, sync until quiet) each estate's synced tables are
 * the same on its desktop and on the hosted instance, the ledger's invariants hold on both, and both cash-book chains
 * verify. A failure prints fast-check's seed and path; SYNC_PROPERTY_SEED and SYNC_PROPERTY_RUNS explore further.
 */

const SEED = Number(process.env.SYNC_PROPERTY_SEED ?? 20261130);
const RUNS = Number(process.env.SYNC_PROPERTY_RUNS ?? 15);
const DAY_MS = 24 * 60 * 60 * 1000;
const PERIODS = ['2026-09', '2026-10', '2026-11'] as const;
const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001', 'hex');

type Row = Record<string, unknown>;

/** The desktop's only road to the hosted instance: forwards requests, remembers pushed batches, and can be cut. */
class CloudProxy {
  down = false;
  readonly pushes: string[] = [];
  private server?: http.Server;
  url = '';

  constructor(private readonly target: string) {}

  async start(): Promise<void> {
    this.server = http.createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', async () => {
        if (this.down) {
          req.socket.destroy();
          return;
        }
        const body = Buffer.concat(chunks).toString('utf8');
        try {
          const answer = await fetch(`${this.target}${req.url}`, {
            method: req.method,
            headers: {
              'content-type': req.headers['content-type'] ?? 'application/json',
              ...(req.headers.authorization ? { authorization: req.headers.authorization } : {}),
            },
            body: req.method === 'GET' || req.method === 'DELETE' ? undefined : body,
          });
          const text = await answer.text();
          if (answer.ok && req.url?.endsWith('/sync/push')) this.pushes.push(body);
          if (this.down) {
            // Cut while the hosted instance was answering: the desktop never hears the answer.
            req.socket.destroy();
            return;
          }
          res.writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' });
          res.end(text);
        } catch {
          req.socket.destroy();
        }
      });
    });
    await new Promise<void>((resolve) => this.server!.listen(0, '127.0.0.1', resolve));
    this.url = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.server?.closeAllConnections();
    await new Promise((resolve) => this.server?.close(resolve));
  }
}

/** An office desktop with its own road to the hosted instance and a clock that can be set a day off. */
interface Desktop {
  server: TestServer;
  dir: string;
  admin: ApiClient;
  proxy: CloudProxy;
  skew: { ms: number };
}

/** One run's estate on one desktop, linked to its estate on the hosted instance. */
interface Office {
  desktop: TestServer;
  admin: ApiClient;
  estateId: string;
  proxy: CloudProxy;
  skew: { ms: number };
  token: string;
  residents: Map<string, ApiClient>;
}
type Where = 'desktop' | 'cloud';
type Command =
  | { k: 'unit'; o: number; w: Where }
  | { k: 'renameUnit'; o: number; w: Where; i: number }
  | { k: 'resident'; o: number; w: Where; i: number }
  | { k: 'renameResident'; o: number; w: Where; i: number }
  | { k: 'bill'; o: number; w: Where; p: number }
  | { k: 'cash'; o: number; w: Where; i: number; amount: number }
  | { k: 'reverse'; o: number; w: Where; i: number }
  | { k: 'cashbook'; o: number; w: Where; amount: number; out: boolean }
  | { k: 'proof'; o: number; i: number; amount: number }
  | { k: 'verify'; o: number; w: Where; i: number; reject: boolean }
  | { k: 'sync'; o: number; fault: 'none' | 'beforeAck' | 'afterAck' }
  | { k: 'partition'; o: number; down: boolean }
  | { k: 'replay'; o: number; i: number; recut: boolean }
  | { k: 'skew'; o: number; days: number }
  | { k: 'restart'; o: number };

const office = fc.integer({ min: 0, max: 1 });
const where = fc.constantFrom<Where>('desktop', 'cloud');
const index = fc.nat({ max: 20 });
const money = fc.constantFrom(25_000, 50_000, 100_000, 150_000, 250_000);

const commandArb: fc.Arbitrary<Command> = fc.oneof(
  { weight: 4, arbitrary: fc.record({ k: fc.constant('unit' as const), o: office, w: where }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('renameUnit' as const), o: office, w: where, i: index }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('resident' as const), o: office, w: where, i: index }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('renameResident' as const), o: office, w: where, i: index }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('bill' as const), o: office, w: where, p: fc.nat({ max: PERIODS.length - 1 }) }) },
  { weight: 3, arbitrary: fc.record({ k: fc.constant('cash' as const), o: office, w: where, i: index, amount: money }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('reverse' as const), o: office, w: where, i: index }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('cashbook' as const), o: office, w: where, amount: money, out: fc.boolean() }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('proof' as const), o: office, i: index, amount: money }) },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('verify' as const), o: office, w: where, i: index, reject: fc.boolean() }) },
  {
    weight: 4,
    arbitrary: fc.record({ k: fc.constant('sync' as const), o: office, fault: fc.constantFrom('none', 'none', 'beforeAck', 'afterAck') }),
  },
  { weight: 2, arbitrary: fc.record({ k: fc.constant('partition' as const), o: office, down: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('replay' as const), o: office, i: index, recut: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('skew' as const), o: office, days: fc.constantFrom(-1, 0, 1) }) },
  { weight: 1, arbitrary: fc.record({ k: fc.constant('restart' as const), o: office }) },
);

let database: TestDatabase;
let cloud: TestServer;
let cloudAdmin: ApiClient;
const desktops: Desktop[] = [];
let runNo = 0;

async function startDesktop(n: number): Promise<Desktop> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-prop-desktop-'));
  const server = await startTestServer({ dataDir: dir });
  // The clock can be set a day off at any moment; the HLC keeps what it has issued, as a running server does.
  const skew = { ms: 0 };
  server.app.sync.clock = new HybridLogicalClock(server.app.sync.siteId, () => Date.now() + skew.ms);
  const { client: admin } = await setupEstate(server.url, `Kantor Uji ${n}`);
  const proxy = new CloudProxy(cloud.url);
  await proxy.start();
  return { server, dir, admin, proxy, skew };
}

/** Stops the desktop's server and starts it again on its data folder, as closing and reopening the app does. */
async function restartDesktop(d: Desktop): Promise<void> {
  await d.server.close();
  d.server = await startTestServer({ dataDir: d.dir });
  // The clock the restarted server set up from its database, carried into one the test can set off again.
  const loaded = d.server.app.sync.clock;
  d.server.app.sync.clock = new HybridLogicalClock(d.server.app.sync.siteId, () => Date.now() + d.skew.ms);
  d.server.app.sync.clock.receive(loaded.tick());
  const admin = apiClient(d.server.url);
  admin.cookie = d.admin.cookie;
  admin.csrf = d.admin.csrf;
  d.admin = admin;
}

beforeAll(async () => {
  database = await createTestDatabase(inject('pgUrl'));
  cloud = await startTestServer({ databaseUrl: database.url });
  ({ client: cloudAdmin } = await setupEstate(cloud.url, 'Pengelola Awan'));
  desktops.push(await startDesktop(0), await startDesktop(1));
}, 120_000);

afterAll(async () => {
  for (const d of desktops) {
    await d.proxy.close();
    await d.server.close();
    fs.rmSync(d.dir, { recursive: true, force: true });
  }
  await cloud?.close();
  await database?.drop();
});

/** No input may produce a 5xx; `ok` lists the answers this step expects. */
function expectAnswer(res: ApiResponse, what: string, ok?: number[]) {
  expect(res.status, `${what}: ${res.text.slice(0, 300)}`).toBeLessThan(500);
  if (ok) expect(ok, `${what}: ${res.status} ${res.text.slice(0, 300)}`).toContain(res.status);
}

/** A fresh estate on desktop `n` (its administrator is the desktop's platform administrator), linked to the cloud. */
async function openOffice(n: number): Promise<Office> {
  const d = desktops[n];
  d.proxy.down = false;
  d.proxy.pushes.length = 0;
  d.skew.ms = 0;
  const made = await d.admin.post('/estates', {
    name: `Perumahan Uji ${runNo}-${n}`,
    timezone: process.env.KLUSTERA_TEST_ESTATE_TZ || 'Asia/Jakarta',
  });
  expectAnswer(made, 'estate', [201]);
  const estateId = made.body.id as string;
  const fee = await d.admin.post(`/estates/${estateId}/fee-types`, {
    code: 'ipl',
    name: 'IPL',
    amount: 100_000,
    basis: 'flat',
    effective_from: '2026-01',
  });
  expectAnswer(fee, 'fee type', [201]);
  const code = await cloudAdmin.post('/sync/link-codes');
  expectAnswer(code, 'link code', [201]);
  const linked = await d.admin.post(`/estates/${estateId}/sync/link`, { cloud_url: d.proxy.url, code: code.body.code });
  expectAnswer(linked, 'link', [201]);
  const token = (await platformDb(d.server.app)('sync_links').where({ estate_id: estateId }).first()).token as string;
  return { desktop: d.server, admin: d.admin, estateId, proxy: d.proxy, skew: d.skew, token, residents: new Map() };
}

const dbOf = (server: TestServer) => platformDb(server.app);
const pick = <T>(items: readonly T[], i: number): T | undefined => (items.length ? items[i % items.length] : undefined);

async function idsOf(server: TestServer, table: string, estateId: string, filter?: (q: any) => any): Promise<string[]> {
  const q = dbOf(server)(table).where(`${table}.estate_id`, estateId).orderBy(`${table}.id`).select(`${table}.id`);
  return ((await (filter ? filter(q) : q)) as { id: string }[]).map((r) => r.id);
}

/** A signed-in resident of the hosted instance for a resident row it holds (the account reaches the desktop by sync). */
async function residentOnCloud(o: Office, residentId: string): Promise<ApiClient> {
  const held = o.residents.get(residentId);
  if (held) return held;
  const email = `warga-${residentId.slice(-12)}@uji.id`;
  const password = 'rahasia-warga-1';
  const made = await cloudAdmin.post(`/estates/${o.estateId}/users`, {
    name: 'Warga',
    email,
    role: 'resident',
    password,
    resident_id: residentId,
  });
  expectAnswer(made, 'resident account', [201]);
  const client = apiClient(cloud.url);
  expectAnswer(await client.post('/auth/login', { login: email, password }), 'resident login', [200]);
  o.residents.set(residentId, client);
  return client;
}

let counter = 0;

async function runCommand(offices: Office[], c: Command): Promise<void> {
  const o = offices[c.o];
  const e = (p: string) => `/estates/${o.estateId}${p}`;
  const side = (w: Where) => (w === 'desktop' ? { server: o.desktop, client: o.admin } : { server: cloud, client: cloudAdmin });
  switch (c.k) {
    case 'unit': {
      const { client } = side(c.w);
      expectAnswer(await client.post(e('/units'), { code: `${c.w[0].toUpperCase()}-${++counter}`, occupancy: 'occupied' }), 'unit', [201]);
      return;
    }
    case 'renameUnit': {
      const { server, client } = side(c.w);
      const unit = pick(await idsOf(server, 'units', o.estateId), c.i);
      if (!unit) return;
      expectAnswer(await client.patch(e(`/units/${unit}`), { code: `R${c.w[0].toUpperCase()}-${++counter}` }), 'rename unit', [200]);
      return;
    }
    case 'resident': {
      const { server, client } = side(c.w);
      const unit = pick(await idsOf(server, 'units', o.estateId), c.i);
      if (!unit) return;
      const res = await client.post(e('/residents'), { name: `Warga ${++counter}`, unit_id: unit, relation: 'owner' });
      expectAnswer(res, 'resident', [201]);
      return;
    }
    case 'renameResident': {
      const { server, client } = side(c.w);
      const resident = pick(await idsOf(server, 'residents', o.estateId), c.i);
      if (!resident) return;
      expectAnswer(await client.patch(e(`/residents/${resident}`), { name: `Warga Ganti ${++counter}` }), 'rename resident', [200]);
      return;
    }
    case 'bill': {
      const { client } = side(c.w);
      const period = PERIODS[c.p];
      expectAnswer(await client.post(e('/billing-runs'), { period, due_date: `${period}-20` }), 'billing run', [201]);
      return;
    }
    case 'cash': {
      const { server, client } = side(c.w);
      const unit = pick(await idsOf(server, 'units', o.estateId), c.i);
      if (!unit) return;
      const paid = await client.post(e('/payments'), {
        unit_id: unit,
        amount: c.amount,
        method: 'cash',
        paid_at: '2026-11-05T03:00:00.000Z',
      });
      expectAnswer(paid, 'cash payment', [201]);
      return;
    }
    case 'reverse': {
      const { server, client } = side(c.w);
      const payment = pick(
        await idsOf(server, 'payments', o.estateId, (q) =>
          q.leftJoin('payment_reversals', 'payment_reversals.payment_id', 'payments.id').whereNull('payment_reversals.id'),
        ),
        c.i,
      );
      if (!payment) return;
      expectAnswer(await client.post(e(`/payments/${payment}/reverse`), { reason: 'Salah catat' }), 'reverse', [200, 201]);
      return;
    }
    case 'cashbook': {
      const { client } = side(c.w);
      const accounts = (await client.get(e('/cashbook/accounts'))).body.items as { id: string; kind: string }[];
      const cash = accounts.find((a) => a.kind === 'cash');
      if (!cash) return;
      const res = await client.post(e('/cashbook/entries'), {
        account_id: cash.id,
        direction: c.out ? 'out' : 'in',
        amount: c.amount,
        category: c.out ? 'electricity' : 'donation',
        entry_date: '2026-11-06',
        description: c.out ? 'Listrik pos satpam' : 'Donasi warga',
        confirm_below_zero: true,
      });
      // The chain has one writer, the linked desktop (the estate's cash-book home); the hosted instance refuses.
      if (c.w === 'cloud') expect(res.body.error?.code, res.text).toBe('CASHBOOK_HOME_ELSEWHERE');
      else expectAnswer(res, 'cash-book entry', [201]);
      return;
    }
    case 'proof': {
      const occupied = await idsOf(cloud, 'residents', o.estateId, (q) =>
        q.whereExists((s: any) =>
          s.from('unit_occupancies').whereRaw('unit_occupancies.resident_id = residents.id').whereNull('unit_occupancies.moved_out_on'),
        ),
      );
      const resident = pick(occupied, c.i);
      if (!resident) return;
      const client = await residentOnCloud(o, resident);
      const sent = await client.upload(
        e('/portal/transfer-proofs'),
        { amount: String(c.amount), paid_at: '2026-11-04', reference: 'BCA 77' },
        { file: { filename: 'bukti.png', content: PNG, type: 'image/png' } },
      );
      expectAnswer(sent, 'transfer proof', [201]);
      return;
    }
    case 'verify': {
      const { client } = side(c.w);
      const pending = (await client.get(e('/transfer-proofs?status=pending'))).body.items as { id: string }[];
      const proof = pick(pending, c.i);
      if (!proof) return;
      const res = c.reject
        ? await client.post(e(`/transfer-proofs/${proof.id}/reject`), { reason: 'Tidak ada di mutasi' })
        : await client.post(e(`/transfer-proofs/${proof.id}/verify`), {});
      // One proof, one payment: proofs are reviewed on the estate's home site, the linked desktop; the hosted instance
      // refuses and writes nothing, so a proof reviewed on both while apart is still reviewed once.
      if (c.w === 'cloud') expect(res.body.error?.code, res.text).toBe('PROOF_REVIEW_ELSEWHERE');
      else expectAnswer(res, c.reject ? 'reject proof' : 'verify proof', [200]);
      return;
    }
    case 'sync': {
      const wasDown = o.proxy.down;
      const summary = await runSyncCycle(o.desktop.app, o.estateId, {
        beforeAck:
          c.fault === 'beforeAck'
            ? () => {
                throw new Error('power cut before the acknowledgement');
              }
            : c.fault === 'afterAck'
              ? () => {
                  // The acknowledgement is stored; the line drops before the pull.
                  o.proxy.down = true;
                }
              : undefined,
      });
      o.proxy.down = wasDown;
      if (wasDown) expect(summary.error?.code).toBe('SYNC_CLOUD_UNREACHABLE');
      return;
    }
    case 'partition':
      o.proxy.down = c.down;
      return;
    case 'replay': {
      const batch = pick(o.proxy.pushes, c.i);
      if (!batch) return;
      const body = JSON.parse(batch) as { batch_id: string; changes: unknown[] };
      if (c.recut) body.batch_id = `recut-${++counter}`;
      const res = await cloudAdmin.withBearer(o.token).post('/sync/push', body);
      expectAnswer(res, 'replayed batch', [200]);
      // A batch seen before answers as it did; the same changes under another id are all already held.
      if (c.recut) expect(res.body, 'recut replay').toMatchObject({ applied: 0, conflicts: 0 });
      else expect(res.body.replayed).toBe(true);
      return;
    }
    case 'skew':
      o.skew.ms = c.days * DAY_MS;
      return;
    case 'restart': {
      const d = desktops[c.o];
      await restartDesktop(d);
      o.desktop = d.server;
      o.admin = d.admin;
      return;
    }
  }
}

/** Lifts every partition and syncs every office until a whole round moves nothing. */
async function heal(offices: Office[]): Promise<void> {
  for (const o of offices) o.proxy.down = false;
  let last: SyncSummary[] = [];
  for (let round = 0; round < 6; round++) {
    last = [];
    for (const o of offices) last.push(await runSyncCycle(o.desktop.app, o.estateId));
    if (last.every((s) => s.ok && s.pushed === 0 && s.pulled === 0 && s.waiting === 0)) return;
  }
  throw new Error(`sync did not settle: ${JSON.stringify(last)}`);
}

/** A value as both databases agree on it: booleans as 0/1, integers as numbers, bytes as base64, JSON as text. */
function canonicalValue(v: unknown): unknown {
  if (v === true) return 1;
  if (v === false) return 0;
  if (Buffer.isBuffer(v)) return v.toString('base64');
  if (typeof v === 'bigint') return Number(v);
  if (typeof v === 'string' && /^-?\d{1,15}$/.test(v) && !/^-?0\d/.test(v)) return Number(v);
  if (v !== null && typeof v === 'object') return JSON.stringify(v);
  return v;
}

function canonicalRows(table: string, rows: Row[]): Row[] {
  return rows
    .map((row) => Object.fromEntries(Object.entries(withoutSiteLocal(table, row)).map(([k, v]) => [k, canonicalValue(v)])))
    .sort((a, b) => String(a.id).localeCompare(String(b.id)));
}

let syncedTables: string[] | undefined;
/** Every table sync carries that holds estate rows. */
async function carriedTables(server: TestServer): Promise<string[]> {
  if (syncedTables) return syncedTables;
  const out: string[] = [];
  for (const table of await tableNames(server.db.knex)) {
    if (isCarried(table) && (await server.db.knex.schema.hasColumn(table, 'estate_id'))) out.push(table);
  }
  syncedTables = out;
  return out;
}

const sum = (rows: Row[], column = 'amount') => rows.reduce((s, r) => s + Number(r[column]), 0);

/** The ledger's invariants for one estate on one site. */
async function expectLedgerHolds(server: TestServer, estateId: string, where: string) {
  const k = dbOf(server);
  const of = async (table: string) => (await k(table).where({ estate_id: estateId }).select('*')) as Row[];
  const [invoices, lines, allocations, payments, reversals, credit, refunds, adjustments] = await Promise.all(
    [
      'invoices',
      'invoice_lines',
      'payment_allocations',
      'payments',
      'payment_reversals',
      'credit_movements',
      'credit_refunds',
      'invoice_adjustments',
    ].map(of),
  );
  // Money for one invoice taken on two sites while apart is kept: what is allocated beyond what the invoice bills
  // (its overflow) is the unit's credit (server/ledger/invoice-balance.ts). Only then may an invoice hold more than it
  // bills, and only with two sources of money on it.
  const overflowOfUnit = new Map<string, number>();
  for (const invoice of invoices) {
    const own = allocations.filter((a) => a.invoice_id === invoice.id);
    const allocated = sum(own);
    const billed = Math.max(0, Number(invoice.total) - Math.abs(sum(adjustments.filter((a) => a.invoice_id === invoice.id))));
    expect(allocated, `${where}: invoice ${invoice.number} allocated`).toBeGreaterThanOrEqual(0);
    const overflow = Math.max(0, allocated - billed);
    if (overflow > 0) {
      const inForce = new Map<string, number>();
      for (const a of own) {
        const source = (a.payment_id as string | null) ?? `credit:${(a.reverses_allocation_id as string | null) ?? a.id}`;
        inForce.set(source, (inForce.get(source) ?? 0) + Number(a.amount));
      }
      const sources = [...inForce.values()].filter((v) => v > 0).length;
      expect(sources, `${where}: invoice ${invoice.number} paid beyond its total by one source`).toBeGreaterThanOrEqual(2);
    }
    const unit = invoice.unit_id as string;
    overflowOfUnit.set(unit, (overflowOfUnit.get(unit) ?? 0) + overflow);
    expect(sum(lines.filter((l) => l.invoice_id === invoice.id)), `${where}: invoice ${invoice.number} lines`).toBe(Number(invoice.total));
  }
  const reversed = new Set(reversals.map((r) => r.payment_id));
  const units = new Set([...payments, ...allocations, ...credit].map((r) => r.unit_id as string));
  for (const unit of units) {
    const kept = sum(payments.filter((p) => p.unit_id === unit && !reversed.has(p.id)));
    const allocated = sum(allocations.filter((a) => a.unit_id === unit));
    const movements = sum(credit.filter((m) => m.unit_id === unit));
    const refunded = sum(refunds.filter((r) => r.unit_id === unit));
    expect(movements + (overflowOfUnit.get(unit) ?? 0), `${where}: unit ${unit} credit`).toBeGreaterThanOrEqual(0);
    expect(allocated + movements + refunded, `${where}: unit ${unit} payments = allocations + credit`).toBe(kept);
  }
  // A resident's transfer proof becomes one payment, wherever the treasurer verified it.
  const perProof = new Map<string, number>();
  for (const p of payments)
    if (p.submission_id && !reversed.has(p.id)) perProof.set(p.submission_id as string, (perProof.get(p.submission_id as string) ?? 0) + 1);
  expect([...perProof.values()].filter((n) => n > 1).length, `${where}: transfer proofs paid twice`).toBe(0);
  for (const [table, column] of [
    ['invoices', 'number'],
    ['payments', 'number'],
    ['receipts', 'receipt_number'],
  ] as const) {
    const numbers = (await k(table).where({ estate_id: estateId }).pluck(column)) as string[];
    expect(numbers.length - new Set(numbers).size, `${where}: duplicate ${table} numbers`).toBe(0);
  }
  const chain = await verifyCashbookChain(k, estateId);
  expect(chain, `${where}: cash-book chain`).toMatchObject({ ok: true, first_broken: null });
}

async function expectHealedBooks(offices: Office[]) {
  const tables = await carriedTables(cloud);
  await Promise.all(
    offices.map(async (o, n) => {
      const other = offices[1 - n];
      await Promise.all(
        tables.map(async (table) => {
          const heldBack = table === 'memberships' ? await accountsHeldBack(o.desktop) : new Set<string>();
          const held = (await dbOf(o.desktop)(table).whereIn('estate_id', [o.estateId, other.estateId]).select('*')) as Row[];
          const here = canonicalRows(
            table,
            held.filter((r) => r.estate_id === o.estateId && !heldBack.has(r.user_id as string)),
          );
          // The other office's estate never reaches this desktop.
          expect(held.filter((r) => r.estate_id !== o.estateId).length, `desktop ${n} holds ${table} of the other estate`).toBe(0);
          // On the hosted instance no row of this estate sits under another estate.
          const ids = here.map((r) => r.id as string);
          const hosted = (await dbOf(cloud)(table)
            .where({ estate_id: o.estateId })
            .orWhereIn('id', ids.length ? ids : [''])
            .select('*')) as Row[];
          expect(hosted.filter((r) => r.estate_id !== o.estateId).length, `hosted ${table} rows of office ${n} under another estate`).toBe(
            0,
          );
          expect(canonicalRows(table, hosted), `office ${n}: ${table}`).toEqual(here);
        }),
      );
      await expectLedgerHolds(o.desktop, o.estateId, `desktop ${n}`);
      await expectLedgerHolds(cloud, o.estateId, `cloud ${n}`);
    }),
  );
}

/**
 * The desktop's accounts whose e-mail is another account's on the hosted instance (its administrator, set up with the
 * same e-mail as the hosted one's): held back with their memberships, by design (server/sync/README.md).
 */
async function accountsHeldBack(desktop: TestServer): Promise<Set<string>> {
  const mine = (await dbOf(desktop)('users').whereNotNull('email').select('id', 'email')) as { id: string; email: string }[];
  const hosted = (await dbOf(cloud)('users')
    .whereIn(
      'email',
      mine.map((u) => u.email),
    )
    .select('id', 'email')) as { id: string; email: string }[];
  return new Set(mine.filter((u) => hosted.some((h) => h.email === u.email && h.id !== u.id)).map((u) => u.id));
}

/** Scenarios every run includes, before the random ones. */
const EXAMPLES: [Command[]][] = [
  // An edit made while the office clock ran a day ahead, then the clock put right and the app reopened: a later edit
  // must still win over it on every site.
  [
    [
      { k: 'unit', o: 1, w: 'desktop' },
      { k: 'skew', o: 1, days: 1 },
      { k: 'renameUnit', o: 1, w: 'desktop', i: 0 },
      { k: 'sync', o: 1, fault: 'none' },
      { k: 'skew', o: 1, days: 0 },
      { k: 'restart', o: 1 },
      { k: 'renameUnit', o: 1, w: 'desktop', i: 0 },
      { k: 'sync', o: 1, fault: 'none' },
    ],
  ],
  [
    [
      { k: 'unit', o: 0, w: 'desktop' },
      { k: 'sync', o: 0, fault: 'none' },
      { k: 'bill', o: 0, w: 'desktop', p: 1 },
      { k: 'bill', o: 0, w: 'cloud', p: 1 },
      { k: 'sync', o: 0, fault: 'none' },
    ],
  ],
  // A resident's transfer proof reviewed at the office and on the hosted instance while apart.
  [
    [
      { k: 'unit', o: 0, w: 'desktop' },
      { k: 'resident', o: 0, w: 'desktop', i: 0 },
      { k: 'sync', o: 0, fault: 'none' },
      { k: 'proof', o: 0, i: 0, amount: 150_000 },
      { k: 'sync', o: 0, fault: 'none' },
      { k: 'partition', o: 0, down: true },
      { k: 'verify', o: 0, w: 'cloud', i: 0, reject: false },
      { k: 'verify', o: 0, w: 'desktop', i: 0, reject: false },
      { k: 'verify', o: 0, w: 'cloud', i: 0, reject: true },
    ],
  ],
];

describe('sync property: two desktops of different estates and one hosted instance', () => {
  it('after healing, every synced table matches, the ledger holds and the cash books verify on every side', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(commandArb, { minLength: 3, maxLength: 10 }), async (commands) => {
        runNo++;
        const offices: Office[] = [];
        try {
          offices.push(await openOffice(0), await openOffice(1));
          for (const c of commands) await runCommand(offices, c);
          await heal(offices);
          await expectHealedBooks(offices);
        } finally {
          for (const o of offices) o.proxy.down = false;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: false, examples: EXAMPLES },
    );
  }, 600_000);
});
