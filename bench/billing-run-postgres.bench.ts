// The monthly billing run for 10,000 units × 3 fees on PostgreSQL (an embedded one, lib/postgres.ts), in process as in
// billing-run.bench.ts, against raw `pg`: the same invoices and lines as multi-row inserts in one transaction, from
// the same process over the same kind of connection. DESIGN.md's budget (≤ 3×) is against raw better-sqlite3, so on
// PostgreSQL the ratio is reported, not judged.
import { rmSync } from 'node:fs';
import pg from 'pg';
import type { Period } from '../server/calendar/calendar.ts';
import { newId } from '../server/db/ids.ts';
import { openDatabase } from '../server/db/knex.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../server/db/scoped-store.ts';
import { loadSyncContext } from '../server/db/sync-context.ts';
import { runBilling } from '../server/ledger/billing-run.ts';
import { createFeeType } from '../server/ledger/fee-service.ts';
import { formatInvoiceNumber } from '../server/ledger/numbering.ts';
import { withPostgres } from './lib/postgres.ts';
import { ratio, report } from './lib/report.ts';
import { seedEstate } from './lib/seed-estate.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FEES = [
  { code: 'IPL', name: 'IPL', amount: 150_000 },
  { code: 'KEAMANAN', name: 'Keamanan', amount: 75_000 },
  { code: 'KEBERSIHAN', name: 'Kebersihan', amount: 25_000 },
];
// The product's batch limit too (server/db/bulk-insert.ts): PostgreSQL takes at most 65,535 parameters a statement.
const MAX_BINDINGS = 30_000;

async function insertMany(client: pg.ClientBase, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  const batch = Math.floor(MAX_BINDINGS / columns.length);
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const values = slice.map((_, r) => `(${columns.map((__, c) => `$${r * columns.length + c + 1}`).join(', ')})`).join(', ');
    await client.query(`insert into ${table} (${columns.join(', ')}) values ${values}`, slice.flat());
  }
}

/** The same rows the run writes (invoices and lines), as multi-row inserts in one transaction. */
async function rawInsert(
  client: pg.ClientBase,
  estateId: string,
  units: Array<{ id: string }>,
  period: Period,
  feeIds: string[],
): Promise<number> {
  const started = process.hrtime.bigint();
  const at = new Date().toISOString();
  const runId = newId();
  const invoices: unknown[][] = [];
  const lines: unknown[][] = [];
  units.forEach((u, n) => {
    const id = newId();
    invoices.push([
      id,
      estateId,
      u.id,
      formatInvoiceNumber(period, n + 1),
      period,
      'dues',
      `dues:${u.id}:${period}`,
      `${period}-01`,
      `${period}-10`,
      250_000,
      runId,
      null,
      null,
      at,
    ]);
    FEES.forEach((f, i) => lines.push([newId(), estateId, id, feeIds[i], null, null, f.name, '1', f.amount, f.amount, at]));
  });
  await client.query('begin');
  try {
    await insertMany(
      client,
      'invoices',
      [
        'id',
        'estate_id',
        'unit_id',
        'number',
        'period',
        'kind',
        'identity_key',
        'issue_date',
        'due_date',
        'total',
        'billing_run_id',
        'charge_id',
        'created_by',
        'created_at',
      ],
      invoices,
    );
    await insertMany(
      client,
      'invoice_lines',
      [
        'id',
        'estate_id',
        'invoice_id',
        'fee_type_id',
        'fee_rate_id',
        'source_invoice_id',
        'description',
        'quantity',
        'unit_amount',
        'amount',
        'created_at',
      ],
      lines,
    );
    await client.query('commit');
  } catch (err) {
    await client.query('rollback');
    throw err;
  }
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<number> {
  return withPostgres(async ({ url }) => {
    process.stdout.write(`seeding ${UNITS} units on PostgreSQL…\n`);
    const seeded = await seedEstate(UNITS, { databaseUrl: url });
    const db = openDatabase({ dataDir: seeded.dataDir, databaseUrl: url });
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => process.stderr.write(`[bench] pg client: ${err.message}\n`));
    try {
      await client.connect();
      const {
        rows: [{ server_version: version }],
      } = await client.query<{ server_version: string }>('show server_version');
      await migrateToLatest(db);
      const sync = await loadSyncContext(db.knex);
      const store = new ScopedStore(db.knex, seeded.estateId, SYSTEM_ACTOR, sync);
      const feeIds: string[] = [];
      for (const f of FEES)
        feeIds.push((await createFeeType(store, { ...f, basis: 'flat', vacant_rule: 'charge', effective_from: '2026-01' })).id);
      const units = (await store.live('units').select('id')) as Array<{ id: string }>;
      // As in a database that has been in use: statistics exist for the tables the run reads.
      await client.query('analyze');

      const product: number[] = [];
      const baseline: number[] = [];
      let invoices = 0;
      let lines = 0;
      for (let r = 0; r < RUNS; r++) {
        // Alternate product and baseline so table growth and autovacuum affect both alike; each bills a fresh period.
        const period = `2026-${String(r + 1).padStart(2, '0')}` as Period;
        const started = process.hrtime.bigint();
        const run = await runBilling(store, { period, due_date: `${period}-10` });
        product.push(Number(process.hrtime.bigint() - started) / 1e6);
        invoices = run.invoices_created;
        lines = run.lines_created;
        if (run.invoices_created !== UNITS) throw new Error(`expected ${UNITS} invoices, got ${run.invoices_created}`);
        baseline.push(await rawInsert(client, seeded.estateId, units, `2027-${String(r + 1).padStart(2, '0')}` as Period, feeIds));
      }
      const rerunStarted = process.hrtime.bigint();
      const rerun = await runBilling(store, { period: '2026-01' as Period, due_date: '2026-01-10' });
      const rerunMs = Number(process.hrtime.bigint() - rerunStarted) / 1e6;
      if (rerun.invoices_created !== 0) throw new Error('re-running a period created invoices');

      const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
      const productMs = round(median(product), 1);
      const baselineMs = round(median(baseline), 1);
      const r = ratio(productMs, baselineMs);
      return report({
        name: 'billing-run-postgres',
        description: `billing run on PostgreSQL ${version}, ${UNITS} units × ${FEES.length} fees, one transaction (median of ${RUNS})`,
        scenarios: {
          billing_run: { median_ms: productMs, runs_ms: product.map((x) => round(x, 1)).join(' '), invoices, lines },
          rerun_same_period: { ms: round(rerunMs, 1), invoices_created: rerun.invoices_created },
        },
        baseline: {
          description: 'raw pg multi-row inserts of the same invoices and lines in one transaction',
          scenarios: { raw_insert: { median_ms: baselineMs, runs_ms: baseline.map((x) => round(x, 1)).join(' ') } },
        },
        ratios: { 'billing_run.median_ms': r },
        budgets: [],
        reportOnly: [
          { figure: 'ratio', text: 'billing run ÷ raw pg inserts (DESIGN.md: ≤ 3× raw better-sqlite3, SQLite only)', measured: r },
        ],
        parameters: {
          database: `PostgreSQL ${version}`,
          units: UNITS,
          fees: FEES.length,
          runs: RUNS,
          seed_seconds: round(seeded.seedSeconds, 1),
        },
      });
    } finally {
      await client.end();
      await db.close();
      rmSync(seeded.dataDir, { recursive: true, force: true });
    }
  });
}

process.exitCode = await main();
