// The monthly billing run for 10,000 units × 3 fees on PostgreSQL (an embedded one, lib/postgres.ts), in process as in
// billing-run.bench.ts, against raw `pg`: the same invoices and lines as multi-row inserts in one transaction, from
// the same process over the same kind of connection. DESIGN.md's budget (≤ 3×) is against raw better-sqlite3, so on
// PostgreSQL the ratio is reported, not judged.
import pg from 'pg';
import type { Period } from '../server/calendar/calendar.ts';
import { newId } from '../server/db/ids.ts';
import { formatInvoiceNumber } from '../server/ledger/numbering.ts';
import { BILLING_FEES, billingRunScenarios, measureBillingRun } from './lib/billing-run.ts';
import { withPostgres } from './lib/postgres.ts';
import { ratio, report } from './lib/report.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FEES = BILLING_FEES;
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
    const client = new pg.Client({ connectionString: url });
    client.on('error', (err) => process.stderr.write(`[bench] pg client: ${err.message}\n`));
    try {
      await client.connect();
      const {
        rows: [{ server_version: version }],
      } = await client.query<{ server_version: string }>('show server_version');
      const m = await measureBillingRun({
        units: UNITS,
        runs: RUNS,
        databaseUrl: url,
        // As in a database that has been in use: statistics exist for the tables the run reads.
        beforeRuns: () => client.query('analyze'),
        rawInsert: ({ estateId, units, period, feeIds }) => rawInsert(client, estateId, units, period, feeIds),
      });
      const r = ratio(m.productMs, m.baselineMs);
      return report({
        name: 'billing-run-postgres',
        description: `billing run on PostgreSQL ${version}, ${UNITS} units × ${FEES.length} fees, one transaction (median of ${RUNS})`,
        scenarios: billingRunScenarios(m),
        baseline: {
          description: 'raw pg multi-row inserts of the same invoices and lines in one transaction',
          scenarios: { raw_insert: { median_ms: m.baselineMs, runs_ms: m.baselineRuns } },
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
          seed_seconds: m.seedSeconds,
        },
      });
    } finally {
      await client.end();
    }
  });
}

process.exitCode = await main();
