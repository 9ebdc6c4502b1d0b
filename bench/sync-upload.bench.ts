// The first upload of an estate from an office desktop (SQLite) to a hosted instance (`klustera serve` on an embedded
// PostgreSQL, a child process): 10,000 units with a resident each (through the services), then 100,000 ledger rows
// (invoices, lines, payments, allocations; raw inserts with their outbox rows, as backup.bench.ts grows history).
// The desktop links with a one-time code and runs one sync cycle in process, timed until every change is
// acknowledged. Baseline: the same rows read from the SQLite file and written to a second, migrated PostgreSQL
// database with raw `pg` multi-row inserts in one transaction, in the same run.
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { newId } from '../server/db/ids.ts';
import { openDatabase } from '../server/db/knex.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { startServer } from '../server/start.ts';
import { runSyncCycle } from '../server/sync/desktop-service.ts';
import { NOT_CARRIED_TABLES } from '../server/sync/merge-policy.ts';
import { createTestDatabase } from '../tests/setup/pg-database.ts';
import { withPostgres } from './lib/postgres.ts';
import { ratio, report } from './lib/report.ts';
import { ADMIN_LOGIN, ADMIN_PASSWORD, bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const LEDGER_ROWS = Number(process.env.BENCH_LEDGER_ROWS ?? 100_000);
const MAX_BINDINGS = 30_000;

/** Paid months back from 2025-12 (invoice, line, payment, allocation per unit) until `rows` ledger rows exist. */
function addLedger(file: string, estateId: string, siteId: string, rows: number): number {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const units = (
    db.prepare('select id from units where estate_id = ? and deleted_at is null order by id').all(estateId) as { id: string }[]
  ).map((u) => u.id);
  const insertInvoice = db.prepare(
    "insert into invoices (id, estate_id, unit_id, number, period, kind, identity_key, issue_date, due_date, total, created_at) values (?, ?, ?, ?, ?, 'dues', ?, ?, ?, ?, ?)",
  );
  const insertLine = db.prepare(
    "insert into invoice_lines (id, estate_id, invoice_id, description, quantity, unit_amount, amount, created_at) values (?, ?, ?, ?, '1', ?, ?, ?)",
  );
  const insertPayment = db.prepare(
    "insert into payments (id, estate_id, unit_id, number, amount, method, paid_at, reference, source, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'office', ?)",
  );
  const insertAllocation = db.prepare(
    "insert into payment_allocations (id, estate_id, unit_id, invoice_id, payment_id, amount, reason, created_at) values (?, ?, ?, ?, ?, ?, 'payment', ?)",
  );
  const insertOutbox = db.prepare(
    "insert into outbox (id, estate_id, table_name, row_id, op, hlc, site_id, created_at) values (?, ?, ?, ?, 'insert', ?, ?, ?)",
  );
  // After every clock value the services gave the units and residents, in write order.
  let millis = Date.now() + 60_000;
  const hlc = () => `${String(millis++).padStart(15, '0')}-00000-${siteId}`;
  let written = 0;
  for (let back = 0; written < rows; back++) {
    const year = 2025 - Math.floor(back / 12);
    const month = 12 - (back % 12);
    const period = `${year}-${String(month).padStart(2, '0')}`;
    const at = `${period}-05T02:00:00.000Z`;
    db.transaction(() => {
      for (const [n, unitId] of units.entries()) {
        if (written >= rows) break;
        const invoiceId = newId();
        const paymentId = newId();
        const total = 150_000 + (n % 4) * 25_000;
        const number = `INV/${year}/${String(month).padStart(2, '0')}/${String(n + 1).padStart(5, '0')}`;
        insertInvoice.run(
          invoiceId,
          estateId,
          unitId,
          number,
          period,
          `dues:${unitId}:${period}`,
          `${period}-01`,
          `${period}-10`,
          total,
          at,
        );
        const lineId = newId();
        insertLine.run(lineId, estateId, invoiceId, `Iuran pengelolaan lingkungan ${period}`, total, total, at);
        insertPayment.run(
          paymentId,
          estateId,
          unitId,
          `PAY${period.replace('-', '')}${String(n + 1).padStart(5, '0')}`,
          total,
          n % 3 ? 'cash' : 'bank_transfer',
          at,
          n % 3 ? null : `TRF-${period}-${n}`,
          at,
        );
        const allocationId = newId();
        insertAllocation.run(allocationId, estateId, unitId, invoiceId, paymentId, total, at);
        for (const [table, id] of [
          ['invoices', invoiceId],
          ['invoice_lines', lineId],
          ['payments', paymentId],
          ['payment_allocations', allocationId],
        ]) {
          insertOutbox.run(newId(), estateId, table, id, hlc(), siteId, at);
        }
        written += 4;
      }
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return written;
}

async function insertMany(client: pg.ClientBase, table: string, rows: Record<string, unknown>[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const batch = Math.floor(MAX_BINDINGS / columns.length);
  const names = columns.map((c) => `"${c}"`).join(', ');
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const values = slice.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    await client.query(
      `insert into "${table}" (${names}) values ${values}`,
      slice.flatMap((row) => columns.map((c) => row[c])),
    );
  }
}

/** The rows the upload carries, read from the SQLite file and written raw into a migrated PostgreSQL database. */
async function rawCopy(file: string, estateId: string, url: string): Promise<{ seconds: number; rows: number }> {
  const scratch = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-raw-'));
  const migrated = openDatabase({ dataDir: scratch, databaseUrl: url });
  await migrateToLatest(migrated);
  await migrated.close();
  rmSync(scratch, { recursive: true, force: true });
  const sqlite = new Database(file, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  const started = process.hrtime.bigint();
  let rows = 0;
  try {
    // Tables in the order their first change was written (a unit before the residents living in it).
    const tables = (
      sqlite
        .prepare('select table_name, min(hlc) first from outbox where estate_id = ? group by table_name order by first')
        .all(estateId) as { table_name: string }[]
    )
      .map((t) => t.table_name)
      .filter((t) => !NOT_CARRIED_TABLES.includes(t));
    await client.query('begin');
    await insertMany(client, 'estates', sqlite.prepare('select * from estates where id = ?').all(estateId) as Record<string, unknown>[]);
    for (const table of tables) {
      // Accounts carry no estate_id: the rows the estate's outbox names are its own.
      const byEstate = (sqlite.prepare(`select name from pragma_table_info('${table}')`).all() as { name: string }[]).some(
        (c) => c.name === 'estate_id',
      );
      const all = (
        byEstate
          ? sqlite.prepare(`select * from "${table}" where estate_id = ?`).all(estateId)
          : sqlite
              .prepare(`select * from "${table}" where id in (select row_id from outbox where estate_id = ? and table_name = ?)`)
              .all(estateId, table)
      ) as Record<string, unknown>[];
      await insertMany(client, table, all);
      rows += all.length;
    }
    await client.query('commit');
  } finally {
    await client.end();
    sqlite.close();
  }
  return { seconds: Number(process.hrtime.bigint() - started) / 1e9, rows };
}

async function post(url: string, body: unknown, token?: string): Promise<any> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${url}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

async function main(): Promise<number> {
  const seeded = await seedEstate(UNITS);
  const file = path.join(seeded.dataDir, 'klustera.sqlite');
  const siteId = (new Database(file, { readonly: true }).prepare('select id from site').get() as { id: string }).id;
  const ledgerStarted = process.hrtime.bigint();
  const ledgerRows = addLedger(file, seeded.estateId, siteId, LEDGER_ROWS);
  const ledgerSeconds = Number(process.hrtime.bigint() - ledgerStarted) / 1e9;
  process.stdout.write(
    `seeded ${UNITS} units in ${seeded.seedSeconds.toFixed(1)} s, ${ledgerRows} ledger rows in ${ledgerSeconds.toFixed(1)} s\n`,
  );

  return withPostgres(async ({ url }) => {
    const cloudDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-cloud-'));
    const cloud = await spawnServer(cloudDir, { DATABASE_URL: url });
    const desktop = await startServer({ dataDir: seeded.dataDir, port: 0, backgroundJobs: false });
    const baselineDb = await createTestDatabase(url);
    try {
      await post(`${cloud.url}/api/v1/setup`, {
        estate: { name: 'Pengelola Awan', timezone: 'Asia/Jakarta' },
        admin: { name: 'Admin Awan', email: ADMIN_LOGIN, password: ADMIN_PASSWORD },
      });
      const { code } = await post(`${cloud.url}/api/v1/sync/link-codes`, {}, await bearerToken(cloud.url));
      await post(
        `${desktop.url}/api/v1/estates/${seeded.estateId}/sync/link`,
        { cloud_url: cloud.url, code },
        await bearerToken(desktop.url),
      );
      const waiting = Number(
        ((await desktop.db.knex('outbox').whereNull('synced_at').count({ n: '*' }).first()) as { n: number | string }).n,
      );

      const started = process.hrtime.bigint();
      const summary = await runSyncCycle(desktop.app, seeded.estateId);
      const uploadSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (!summary.ok) throw new Error(`upload failed: ${JSON.stringify(summary.error)}`);

      const raw = await rawCopy(file, seeded.estateId, baselineDb.url);
      const round = (n: number) => Math.round(n * 100) / 100;
      return report({
        name: 'sync-upload',
        description: `first upload of ${UNITS} units and ${ledgerRows} ledger rows from a SQLite desktop to a PostgreSQL hosted instance`,
        scenarios: {
          upload: {
            seconds: round(uploadSeconds),
            changes: summary.pushed,
            changes_per_s: Math.round(summary.pushed / uploadSeconds),
            waiting_after: summary.waiting,
            outbox_rows_before: waiting,
          },
        },
        baseline: {
          description: 'the same rows read from the SQLite file and written by raw pg multi-row inserts in one transaction',
          scenarios: { raw_copy: { seconds: round(raw.seconds), rows: raw.rows, rows_per_s: Math.round(raw.rows / raw.seconds) } },
        },
        ratios: { 'upload.seconds': ratio(uploadSeconds, raw.seconds) },
        budgets: [
          {
            figure: 'upload.seconds',
            text: 'first upload of 10,000 units + 100,000 ledger rows < 10 s',
            measured: round(uploadSeconds),
            limit: 10,
            kind: 'max',
          },
        ],
        reportOnly: [
          {
            figure: 'upload.ratio',
            text: 'upload ÷ raw pg copy (DESIGN.md goal ≤ 3×)',
            measured: ratio(uploadSeconds, raw.seconds),
          },
        ],
        parameters: {
          units: UNITS,
          ledger_rows: ledgerRows,
          seed_seconds: round(seeded.seedSeconds),
          ledger_seed_seconds: round(ledgerSeconds),
        },
      });
    } finally {
      await desktop.close();
      await cloud.stop();
      await baselineDb.drop().catch(() => undefined);
      rmSync(cloudDir, { recursive: true, force: true });
      rmSync(seeded.dataDir, { recursive: true, force: true });
    }
  });
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(err);
    process.exitCode = 1;
  },
);
