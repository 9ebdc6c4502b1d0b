// The day's payment reminders for 10,000 units, planned in process on a real SQLite file: every unit has a resident
// with a mobile number and one invoice due tomorrow, so the H-1 reminder is owed to all of them; the estate sends
// WhatsApp through a gateway, so each message also gets its sending job (the wa.me default would write none). Goal
// (the messaging work's "done means"; DESIGN.md has no row for it): < 2 s. Baseline: the very rows the planning
// wrote (messages, jobs, audit and outbox rows, whatever tables it touched), read back after each run and inserted
// raw through better-sqlite3 prepared statements in one transaction into a copy of the database taken before the
// first run, so both sides write into tables of the same size.
import { rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { addDaysToDate, type Period } from '../server/calendar/calendar.ts';
import { openDatabase } from '../server/db/knex.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../server/db/scoped-store.ts';
import { loadSyncContext } from '../server/db/sync-context.ts';
import { runBilling } from '../server/ledger/billing-run.ts';
import { createFeeType } from '../server/ledger/fee-service.ts';
import { saveGatewayChannel } from '../server/messages/channel-settings.ts';
import { queueDailyReminders } from '../server/messages/reminders.ts';
import { ratio, report } from './lib/report.ts';
import { seedEstate } from './lib/seed-estate.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const GOAL_MS = 2_000;

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const since = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;

type Row = Record<string, unknown>;

/** Every table's highest rowid, to read back afterwards exactly what a run wrote. */
function highWater(db: BetterSqlite3.Database): Map<string, number> {
  const tables = db
    .prepare(`select name from sqlite_master where type = 'table' and name not like 'sqlite_%' and sql not like '%without rowid%'`)
    .pluck()
    .all() as string[];
  return new Map(tables.map((t) => [t, Number(db.prepare(`select coalesce(max(rowid), 0) from "${t}"`).pluck().get())]));
}

function writtenSince(db: BetterSqlite3.Database, before: Map<string, number>): Map<string, Row[]> {
  const written = new Map<string, Row[]>();
  for (const [table, mark] of before) {
    const rows = db.prepare(`select * from "${table}" where rowid > ? order by rowid`).all(mark) as Row[];
    if (rows.length) written.set(table, rows);
  }
  return written;
}

/** The product connection's settings that change write speed; the raw connection takes the same. */
interface ConnectionPragmas {
  synchronous: string;
  cache_size: number;
  mmap_size: number;
}

/** The same rows, inserted raw: one prepared statement per table, one transaction. */
function rawInsert(file: string, pragmas: ConnectionPragmas, written: Map<string, Row[]>): number {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma(`synchronous = ${pragmas.synchronous}`);
  db.pragma(`cache_size = ${pragmas.cache_size}`);
  db.pragma(`mmap_size = ${pragmas.mmap_size}`);
  db.pragma('foreign_keys = ON');
  const statements = [...written].map(([table, rows]) => {
    const columns = Object.keys(rows[0]);
    const insert = db.prepare(
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map((c) => `@${c}`).join(', ')})`,
    );
    return { insert, rows };
  });
  const started = process.hrtime.bigint();
  db.transaction(() => {
    for (const { insert, rows } of statements) for (const row of rows) insert.run(row);
  })();
  const ms = since(started);
  db.close();
  return ms;
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units with a resident and a mobile number each…\n`);
  const seeded = await seedEstate(UNITS, { phones: true });
  const copyFile = path.join(os.tmpdir(), `klustera-bench-reminders-${process.pid}.sqlite`);
  const db = openDatabase({ dataDir: seeded.dataDir });
  try {
    await migrateToLatest(db);
    const file = db.file!;
    const sync = await loadSyncContext(db.knex);
    const store = new ScopedStore(db.knex, seeded.estateId, SYSTEM_ACTOR, sync);
    await saveGatewayChannel(store, seeded.dataDir, {
      enabled: true,
      provider: 'fonnte',
      // Nothing is sent: no job runner runs here, and sending is not what is measured.
      base_url: 'http://127.0.0.1:9/send',
      token: 'bench-token',
      per_minute: 60,
      per_day: 10_000,
      min_gap_s: 0,
      max_gap_s: 0,
      quiet_from: null,
      quiet_to: null,
    });
    await createFeeType(store, {
      code: 'IPL',
      name: 'IPL',
      amount: 250_000,
      basis: 'flat',
      vacant_rule: 'charge',
      effective_from: '2026-01',
    });
    const days: string[] = [];
    for (let r = 0; r < RUNS; r++) {
      // One billed month per run, due on the 10th: on the 9th of that month H-1 applies to every unit, and to nothing
      // billed for the other months, so each run plans a fresh day with all 10,000 reminders to queue.
      const period = `2026-${String(r + 1).padStart(2, '0')}` as Period;
      const run = await runBilling(store, { period, due_date: `${period}-10` });
      if (run.invoices_created !== UNITS) throw new Error(`expected ${UNITS} invoices, got ${run.invoices_created}`);
      days.push(`${period}-09`);
    }
    const pragma = async (name: string) => Number(Object.values(((await db.knex.raw(`pragma ${name}`)) as Row[])[0])[0]);
    const pragmas: ConnectionPragmas = {
      synchronous: ['OFF', 'NORMAL', 'FULL', 'EXTRA'][await pragma('synchronous')] ?? 'FULL',
      cache_size: await pragma('cache_size'),
      mmap_size: await pragma('mmap_size'),
    };

    const reader = new BetterSqlite3(file, { readonly: true });
    reader.exec(`vacuum into '${copyFile.replace(/'/g, "''")}'`);
    const owing = reader.prepare(`select count(distinct unit_id) from invoices where estate_id = ? and due_date = ? and total > 0`).pluck();

    const product: number[] = [];
    const baseline: number[] = [];
    let queued = 0;
    let unitsOwing = 0;
    let rowsWritten: Record<string, number> = {};
    for (const today of days) {
      unitsOwing = Number(owing.get(seeded.estateId, addDaysToDate(today, 1)));
      const before = highWater(reader);
      const started = process.hrtime.bigint();
      queued = await queueDailyReminders(store, today);
      product.push(since(started));
      const written = writtenSince(reader, before);
      const messages = (written.get('messages') ?? []).filter((m) => m.cause_kind === 'reminder_h1' && m.status === 'queued');
      if (queued !== unitsOwing || messages.length !== unitsOwing) {
        throw new Error(`${today}: ${unitsOwing} units owe, but ${queued} reminders reported and ${messages.length} queued`);
      }
      rowsWritten = Object.fromEntries([...written].map(([t, rows]) => [t, rows.length]));
      baseline.push(rawInsert(copyFile, pragmas, written));
    }
    reader.close();

    const productMs = round(median(product), 1);
    const baselineMs = round(median(baseline), 1);
    const r = ratio(productMs, baselineMs);
    return report({
      name: 'reminders',
      description: `daily reminder planning (H-1, WhatsApp gateway), ${UNITS} units owing, a transaction per 500 units (median of ${RUNS} fresh days)`,
      scenarios: {
        plan_reminders: {
          median_ms: productMs,
          runs_ms: product.map((x) => round(x, 1)).join(' '),
          units_owing: unitsOwing,
          messages_queued: queued,
          ...Object.fromEntries(Object.entries(rowsWritten).map(([t, n]) => [`rows_${t}`, n])),
        },
      },
      baseline: {
        description:
          'the same rows the planning wrote (messages, jobs, audit, outbox), raw better-sqlite3 prepared inserts in one transaction on a copy of the database',
        scenarios: { raw_insert: { median_ms: baselineMs, runs_ms: baseline.map((x) => round(x, 1)).join(' '), ...pragmas } },
      },
      ratios: { 'plan_reminders.median_ms': r },
      budgets: [{ figure: 'median_ms', text: 'reminders for 10,000 units < 2 s', measured: productMs, limit: GOAL_MS, kind: 'max' }],
      parameters: { units: UNITS, runs: RUNS, seed_seconds: round(seeded.seedSeconds, 1) },
    });
  } finally {
    await db.close();
    rmSync(seeded.dataDir, { recursive: true, force: true });
    rmSync(copyFile, { force: true });
  }
}

process.exitCode = await main();
