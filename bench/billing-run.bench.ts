// The monthly billing run for 10,000 units × 3 fees, in process on a real SQLite file, against the DESIGN.md budget:
// at most 3× the time raw better-sqlite3 needs to insert the same rows (10,000 invoices and 30,000 lines) in one
// transaction with prepared statements. The product does more than the baseline (fee and rate lookup, numbering,
// outbox rows for every row, the run's audit row, credit application); the ratio is what that costs.
import { rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import { runBilling } from '../server/ledger/billing-run.ts';
import { createFeeType } from '../server/ledger/fee-service.ts';
import { formatInvoiceNumber } from '../server/ledger/numbering.ts';
import type { Period } from '../server/calendar/calendar.ts';
import { openDatabase } from '../server/db/knex.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../server/db/scoped-store.ts';
import { loadSyncContext } from '../server/db/sync-context.ts';
import { newId } from '../server/db/ids.ts';
import { report, ratio } from './lib/report.ts';
import { seedEstate } from './lib/seed-estate.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const FEES = [
  { code: 'IPL', name: 'IPL', amount: 150_000 },
  { code: 'KEAMANAN', name: 'Keamanan', amount: 75_000 },
  { code: 'KEBERSIHAN', name: 'Kebersihan', amount: 25_000 },
];

/** The same rows the run writes (invoices and lines), straight through prepared statements in one transaction. */
function rawInsert(file: string, estateId: string, units: Array<{ id: string }>, period: Period, feeIds: string[]): number {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
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
  const seeded = await seedEstate(UNITS);
  const db = openDatabase({ dataDir: seeded.dataDir });
  try {
    await migrateToLatest(db);
    const sync = await loadSyncContext(db.knex);
    const store = new ScopedStore(db.knex, seeded.estateId, SYSTEM_ACTOR, sync);
    const feeIds: string[] = [];
    for (const f of FEES)
      feeIds.push((await createFeeType(store, { ...f, basis: 'flat', vacant_rule: 'charge', effective_from: '2026-01' })).id);
    const units = (await store.live('units').select('id')) as Array<{ id: string }>;

    const product: number[] = [];
    const baseline: number[] = [];
    let invoices = 0;
    let lines = 0;
    for (let r = 0; r < RUNS; r++) {
      // Alternate product and baseline so cache and file growth affect both alike; each bills a fresh period.
      const period = `2026-${String(r + 1).padStart(2, '0')}` as Period;
      const started = process.hrtime.bigint();
      const run = await runBilling(store, { period, due_date: `${period}-10` });
      product.push(Number(process.hrtime.bigint() - started) / 1e6);
      invoices = run.invoices_created;
      lines = run.lines_created;
      if (run.invoices_created !== UNITS) throw new Error(`expected ${UNITS} invoices, got ${run.invoices_created}`);
      baseline.push(rawInsert(db.file!, seeded.estateId, units, `2027-${String(r + 1).padStart(2, '0')}` as Period, feeIds));
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
      name: 'billing-run',
      description: `billing run, ${UNITS} units × ${FEES.length} fees, one transaction (median of ${RUNS})`,
      scenarios: {
        billing_run: { median_ms: productMs, runs_ms: product.map((x) => round(x, 1)).join(' '), invoices, lines },
        rerun_same_period: { ms: round(rerunMs, 1), invoices_created: rerun.invoices_created },
      },
      baseline: {
        description: 'raw better-sqlite3 prepared inserts of the same invoices and lines in one transaction',
        scenarios: { raw_insert: { median_ms: baselineMs, runs_ms: baseline.map((x) => round(x, 1)).join(' ') } },
      },
      ratios: { 'billing_run.median_ms': r },
      budgets: [{ figure: 'ratio', text: 'billing run ≤ 3× raw inserts', measured: r, limit: 3, kind: 'max' }],
      parameters: { units: UNITS, fees: FEES.length, runs: RUNS, seed_seconds: round(seeded.seedSeconds, 1) },
    });
  } finally {
    await db.close();
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
