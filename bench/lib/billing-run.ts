// The product side of the billing-run benchmarks, the same on SQLite and PostgreSQL: seed, create the fees, then
// alternate the real billing run with the backend's own raw baseline, and finish with a re-run of a billed period.
import { rmSync } from 'node:fs';
import type { Period } from '../../server/calendar/calendar.ts';
import { openDatabase } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { runBilling } from '../../server/ledger/billing-run.ts';
import { createFeeType } from '../../server/ledger/fee-service.ts';
import { seedEstate } from './seed-estate.ts';
import { round } from './stats.ts';

export const BILLING_FEES = [
  { code: 'IPL', name: 'IPL', amount: 150_000 },
  { code: 'KEAMANAN', name: 'Keamanan', amount: 75_000 },
  { code: 'KEBERSIHAN', name: 'Kebersihan', amount: 25_000 },
];

/** What a raw baseline gets to insert the same invoices and lines the run writes, for a period the run never bills. */
export interface RawBillingInsert {
  /** The SQLite file (undefined on PostgreSQL). */
  file: string | undefined;
  estateId: string;
  units: Array<{ id: string }>;
  period: Period;
  feeIds: string[];
}

export interface BillingRunFigures {
  productMs: number;
  baselineMs: number;
  productRuns: string;
  baselineRuns: string;
  invoices: number;
  lines: number;
  rerunMs: number;
  rerunInvoices: number;
  seedSeconds: number;
}

/** The product's scenarios as both reports print them. */
export function billingRunScenarios(m: BillingRunFigures) {
  return {
    billing_run: { median_ms: m.productMs, runs_ms: m.productRuns, invoices: m.invoices, lines: m.lines },
    rerun_same_period: { ms: m.rerunMs, invoices_created: m.rerunInvoices },
  };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function measureBillingRun(opts: {
  units: number;
  runs: number;
  databaseUrl?: string;
  /** Runs once the fees exist, before the first measured run. */
  beforeRuns?: () => Promise<unknown>;
  rawInsert: (input: RawBillingInsert) => number | Promise<number>;
}): Promise<BillingRunFigures> {
  const seeded = await seedEstate(opts.units, { databaseUrl: opts.databaseUrl });
  // Opened as the server opens it (start.ts): on SQLite the log is flushed and copied back by the background
  // checkpointer, not inside the run's COMMIT.
  const db = openDatabase({ dataDir: seeded.dataDir, databaseUrl: opts.databaseUrl, backgroundCheckpoint: true });
  try {
    await migrateToLatest(db);
    const sync = await loadSyncContext(db.knex);
    const store = new ScopedStore(db.knex, seeded.estateId, SYSTEM_ACTOR, sync);
    const feeIds: string[] = [];
    for (const f of BILLING_FEES)
      feeIds.push((await createFeeType(store, { ...f, basis: 'flat', vacant_rule: 'charge', effective_from: '2026-01' })).id);
    const units = (await store.live('units').select('id')) as Array<{ id: string }>;
    await opts.beforeRuns?.();

    // Each measured step starts from a settled file: the previous step's log copied back, so neither pays for the
    // other's checkpoint.
    const settle = async () => {
      if (db.dialect === 'sqlite') await db.knex.raw('pragma wal_checkpoint(TRUNCATE)');
    };
    const product: number[] = [];
    const baseline: number[] = [];
    let invoices = 0;
    let lines = 0;
    for (let r = 0; r < opts.runs; r++) {
      // Alternate product and baseline so cache, file and table growth affect both alike; each bills a fresh period.
      const period = `2026-${String(r + 1).padStart(2, '0')}` as Period;
      await settle();
      const started = process.hrtime.bigint();
      const run = await runBilling(store, { period, due_date: `${period}-10` });
      product.push(Number(process.hrtime.bigint() - started) / 1e6);
      invoices = run.invoices_created;
      lines = run.lines_created;
      if (run.invoices_created !== opts.units) throw new Error(`expected ${opts.units} invoices, got ${run.invoices_created}`);
      const rawPeriod = `2027-${String(r + 1).padStart(2, '0')}` as Period;
      await settle();
      baseline.push(await opts.rawInsert({ file: db.file, estateId: seeded.estateId, units, period: rawPeriod, feeIds }));
    }
    const rerunStarted = process.hrtime.bigint();
    const rerun = await runBilling(store, { period: '2026-01' as Period, due_date: '2026-01-10' });
    const rerunMs = Number(process.hrtime.bigint() - rerunStarted) / 1e6;
    if (rerun.invoices_created !== 0) throw new Error('re-running a period created invoices');
    return {
      productMs: round(median(product), 1),
      baselineMs: round(median(baseline), 1),
      productRuns: product.map((x) => round(x, 1)).join(' '),
      baselineRuns: baseline.map((x) => round(x, 1)).join(' '),
      invoices,
      lines,
      rerunMs: round(rerunMs, 1),
      rerunInvoices: rerun.invoices_created,
      seedSeconds: round(seeded.seedSeconds, 1),
    };
  } finally {
    await db.close();
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}
