// The monthly billing run for 10,000 units × 3 fees, in process on a real SQLite file, against the DESIGN.md budget:
// at most 3× the time raw better-sqlite3 needs to insert the same rows (10,000 invoices and 30,000 lines) in one
// transaction with prepared statements. The product does more than the baseline (fee and rate lookup, numbering,
// outbox rows for every row, the run's audit row, credit application); the ratio is what that costs.
import BetterSqlite3 from 'better-sqlite3';
import type { Period } from '../server/calendar/calendar.ts';
import { newId } from '../server/db/ids.ts';
import { formatInvoiceNumber } from '../server/ledger/numbering.ts';
import { BILLING_FEES, billingRunScenarios, measureBillingRun } from './lib/billing-run.ts';
import { ratio, report } from './lib/report.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FEES = BILLING_FEES;

/** The same rows the run writes (invoices and lines), straight through prepared statements in one transaction. */
function rawInsert(file: string, estateId: string, units: Array<{ id: string }>, period: Period, feeIds: string[]): number {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Like the product's run, which the server's background checkpointer serves: the log is copied back between the
  // measured steps, not inside this COMMIT.
  db.pragma('wal_autocheckpoint = 0');
  const insertInvoice = db.prepare(
    `insert into invoices (id, estate_id, unit_id, number, period, kind, identity_key, issue_date, due_date, total, billing_run_id, charge_id, created_by, created_at)
     values (?, ?, ?, ?, ?, 'dues', ?, ?, ?, ?, ?, null, null, ?)`,
  );
  const insertLine = db.prepare(
    `insert into invoice_lines (id, estate_id, invoice_id, fee_type_id, fee_rate_id, source_invoice_id, description, quantity, unit_amount, amount, created_at)
     values (?, ?, ?, ?, null, null, ?, '1', ?, ?, ?)`,
  );
  const started = process.hrtime.bigint();
  const at = new Date().toISOString();
  const runId = newId();
  db.transaction(() => {
    units.forEach((u, n) => {
      const id = newId();
      insertInvoice.run(
        id,
        estateId,
        u.id,
        formatInvoiceNumber(period, n + 1),
        period,
        `dues:${u.id}:${period}`,
        `${period}-01`,
        `${period}-10`,
        250_000,
        runId,
        at,
      );
      FEES.forEach((f, i) => insertLine.run(newId(), estateId, id, feeIds[i], f.name, f.amount, f.amount, at));
    });
  })();
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  db.close();
  return ms;
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units…\n`);
  const m = await measureBillingRun({
    units: UNITS,
    runs: RUNS,
    rawInsert: ({ file, estateId, units, period, feeIds }) => rawInsert(file!, estateId, units, period, feeIds),
  });
  const r = ratio(m.productMs, m.baselineMs);
  return report({
    name: 'billing-run',
    description: `billing run, ${UNITS} units × ${FEES.length} fees, one transaction (median of ${RUNS})`,
    scenarios: billingRunScenarios(m),
    baseline: {
      description: 'raw better-sqlite3 prepared inserts of the same invoices and lines in one transaction',
      scenarios: { raw_insert: { median_ms: m.baselineMs, runs_ms: m.baselineRuns } },
    },
    ratios: { 'billing_run.median_ms': r },
    budgets: [{ figure: 'ratio', text: 'billing run ≤ 3× raw inserts', measured: r, limit: 3, kind: 'max' }],
    parameters: { units: UNITS, fees: FEES.length, runs: RUNS, seed_seconds: m.seedSeconds },
  });
}

process.exitCode = await main();
