// SIGKILL a process in the middle of a 10,000-unit billing run and in the middle of payment recording, on a real
// SQLite file, then check the file holds each run/payment whole or not at all, and the cash-book chain verifies.
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../server/db/knex.ts';
import { newId } from '../../server/db/ids.ts';
import { verifyCashbookChain } from '../../server/cashbook/verify.ts';
import { unitSortKey } from '../../server/units/unit-code.ts';
import { setupEstate, startTestServer, type TestServer } from '../support/server.ts';

const CHILD = path.join(path.dirname(fileURLToPath(import.meta.url)), 'ledger-child.ts');
const UNITS = 10_000;
const FEES = 3;

let server: TestServer;
let dataDir: string;
let estateId: string;

/** Runs the child; kills it `killAfterMs` after it is ready (or lets it finish when null). Resolves with its output. */
function runChild(args: string[], killAfterMs: number | null): Promise<{ out: string; killed: boolean; readyToExitMs: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', CHILD, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    let readyAt = 0;
    let killed = false;
    child.stdout.on('data', (d) => {
      out += d;
      if (!readyAt && out.includes('READY')) {
        readyAt = Date.now();
        if (killAfterMs !== null) {
          setTimeout(() => {
            killed = child.kill('SIGKILL');
          }, killAfterMs);
        }
      }
    });
    child.stderr.on('data', (d) => (err += d));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL' && code !== 0) reject(new Error(`child failed (${code}): ${err}`));
      else resolve({ out, killed: signal === 'SIGKILL' && killed, readyToExitMs: Date.now() - readyAt });
    });
  });
}

async function withDb<T>(fn: (db: Database) => Promise<T>): Promise<T> {
  const db = openDatabase({ dataDir });
  try {
    return await fn(db);
  } finally {
    await db.close();
  }
}

const n = async (db: Database, table: string, where: Record<string, unknown> = {}) =>
  Number((await db.knex(table).where(where).count({ n: '*' }))[0].n);

beforeAll(async () => {
  // Our own folder: the test server deletes a folder it created when it closes.
  dataDir = (await import('node:fs')).mkdtempSync(path.join((await import('node:os')).tmpdir(), 'klustera-crash-'));
  server = await startTestServer({ dataDir });
  const setup = await setupEstate(server.url);
  estateId = setup.estateId;
  for (const [code, amount] of [
    ['IPL', 150000],
    ['KEAMANAN', 50000],
    ['KEBERSIHAN', 25000],
  ] as const) {
    const res = await setup.client.post(`/estates/${estateId}/fee-types`, {
      code,
      name: code,
      amount,
      basis: 'flat',
      effective_from: '2026-01',
    });
    expect(res.status).toBe(201);
  }
  // 10,000 units straight into the file: the fixture, not the behaviour under test.
  const at = new Date().toISOString();
  const rows = Array.from({ length: UNITS }, (_, i) => {
    const code = `U-${String(i + 1).padStart(5, '0')}`;
    return {
      id: newId(),
      estate_id: estateId,
      code,
      sort_key: unitSortKey(code),
      block: 'U',
      type: 'rumah',
      occupancy: 'occupied',
      created_at: at,
      updated_at: at,
    };
  });
  for (let i = 0; i < rows.length; i += 500) await server.db.knex('units').insert(rows.slice(i, i + 500));
  await server.close();
}, 300_000);

afterAll(async () => {
  const fs = await import('node:fs');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('crash safety', () => {
  it('a billing run killed at random points leaves the whole run or nothing', async () => {
    // One undisturbed run calibrates how long a run takes on this machine, so kill points spread across it.
    const full = await runChild(['billing', dataDir, estateId, '2026-01'], null);
    expect(full.out).toContain(`DONE ${UNITS}`);
    const span = Math.max(200, full.readyToExitMs);
    const outcomes: string[] = [];
    for (let i = 0; i < 5; i++) {
      const period = `2026-${String(i + 2).padStart(2, '0')}`;
      const killAfter = Math.floor(Math.random() * span);
      const res = await runChild(['billing', dataDir, estateId, period], killAfter);
      await withDb(async (db) => {
        const invoices = await n(db, 'invoices', { period });
        const runs = await n(db, 'billing_runs', { period });
        const lines = Number(
          (
            await db
              .knex('invoice_lines')
              .join('invoices', 'invoices.id', 'invoice_lines.invoice_id')
              .where('invoices.period', period)
              .count({ c: '*' })
          )[0].c,
        );
        const outbox = Number(
          (
            await db
              .knex('outbox')
              .where('table_name', 'invoices')
              .whereIn('row_id', db.knex('invoices').where({ period }).select('id'))
              .count({ c: '*' })
          )[0].c,
        );
        const counter = await db
          .knex('sequences')
          .where({ estate_id: estateId, name: `invoice:${period}` })
          .first();
        const whole = { invoices: UNITS, runs: 1, lines: UNITS * FEES, outbox: UNITS, counter: UNITS };
        const nothing = { invoices: 0, runs: 0, lines: 0, outbox: 0, counter: 0 };
        const found = { invoices, runs, lines, outbox, counter: Number(counter?.value ?? 0) };
        expect([whole, nothing]).toContainEqual(found);
        outcomes.push(`${res.killed ? 'killed' : 'finished'}@${killAfter}ms→${invoices ? 'whole' : 'nothing'}`);
      });
    }
    // A period left empty by a kill bills completely afterwards: nothing half-written blocks it.
    const retry = await runChild(['billing', dataDir, estateId, '2026-02'], null);
    expect(retry.out).toMatch(/DONE (0|10000)/);
    await withDb(async (db) => expect(await n(db, 'invoices', { period: '2026-02' })).toBe(UNITS));
    process.stdout.write(`billing crash outcomes: ${outcomes.join(', ')}\n`);
  }, 600_000);

  it('payment recording killed at random points leaves each payment whole, and the cash-book chain verifies', async () => {
    for (let i = 0; i < 4; i++) {
      await runChild(['payments', dataDir, estateId, '400'], 50 + Math.floor(Math.random() * 1500));
    }
    await withDb(async (db) => {
      const payments = await db.knex('payments').where({ estate_id: estateId }).select('id', 'amount', 'number');
      expect(payments.length).toBeGreaterThan(0);
      const held = new Map<string, number>();
      for (const r of (await db
        .knex('payment_allocations')
        .whereNotNull('payment_id')
        .groupBy('payment_id')
        .select('payment_id')
        .sum({ s: 'amount' })) as Array<{ payment_id: string; s: unknown }>)
        held.set(r.payment_id, Number(r.s));
      const excess = new Map<string, number>();
      for (const r of (await db
        .knex('credit_movements')
        .where('kind', 'payment_excess')
        .groupBy('payment_id')
        .select('payment_id')
        .sum({ s: 'amount' })) as Array<{ payment_id: string; s: unknown }>)
        excess.set(r.payment_id, Number(r.s));
      const cash = new Map<string, number>();
      for (const r of await db.knex('cashbook_entries').where({ source_type: 'payment' }).select('source_id', 'amount'))
        cash.set(r.source_id, Number(r.amount));
      const ids = new Set(payments.map((p) => p.id));
      for (const p of payments) {
        // Every payment is whole: its money is on invoices or in credit, and in the cash book.
        expect((held.get(p.id) ?? 0) + (excess.get(p.id) ?? 0)).toBe(Number(p.amount));
        expect(cash.get(p.id)).toBe(Number(p.amount));
      }
      // Nothing belongs to a payment that does not exist.
      for (const id of [...held.keys(), ...excess.keys(), ...cash.keys()]) expect(ids.has(id)).toBe(true);
      expect(new Set(payments.map((p) => p.number)).size).toBe(payments.length);
      const chain = await verifyCashbookChain(db.knex, estateId);
      expect(chain).toMatchObject({ ok: true, first_broken: null });
      expect(chain.checked).toBe(payments.length);
    });
  }, 600_000);
});
