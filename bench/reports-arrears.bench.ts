// The arrears report (tunggakan) for 10,000 units × 12 months, exported over HTTP as .xlsx and PDF, against the
// DESIGN.md budgets (< 3 s / < 5 s). The baseline is the raw better-sqlite3 reading of the same rows in this process,
// so the ratio shows what building and rendering the report costs on top of reading the ledger.
import { rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { newId } from '../server/db/ids.ts';
import { report, ratio, type Figures } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
const YEAR = 2026;
const FEE = 150_000;

/**
 * A year of dues straight into SQLite: one invoice per unit and month, about a third unpaid, a sixth half paid,
 * the rest paid in full. Seeding is not measured; it only has to look like a real ledger to the report queries.
 */
function seedLedger(file: string, estateId: string): { invoices: number; allocations: number } {
  const db = new BetterSqlite3(file);
  const units = db.prepare('select id from units where estate_id = ? order by sort_key').all(estateId) as { id: string }[];
  const now = new Date().toISOString();
  const insertInvoice = db.prepare(
    `insert into invoices (id, estate_id, unit_id, number, period, kind, identity_key, issue_date, due_date, total, created_at)
     values (?, ?, ?, ?, ?, 'dues', ?, ?, ?, ?, ?)`,
  );
  const insertAllocation = db.prepare(
    `insert into payment_allocations (id, estate_id, unit_id, invoice_id, payment_id, amount, reason, created_at)
     values (?, ?, ?, ?, null, ?, 'credit', ?)`,
  );
  let invoices = 0;
  let allocations = 0;
  db.transaction(() => {
    for (let m = 1; m <= 12; m++) {
      const period = `${YEAR}-${String(m).padStart(2, '0')}`;
      units.forEach((u, n) => {
        const id = newId();
        insertInvoice.run(
          id,
          estateId,
          u.id,
          `INV/${YEAR}/${String(m).padStart(2, '0')}/${String(n + 1).padStart(5, '0')}`,
          period,
          `dues:${u.id}:${period}`,
          `${period}-01`,
          `${period}-10`,
          FEE,
          now,
        );
        invoices++;
        const pattern = (n * 7 + m) % 6;
        const paid = pattern < 2 ? 0 : pattern === 2 ? FEE / 2 : FEE;
        if (paid > 0) {
          insertAllocation.run(newId(), estateId, u.id, id, paid, now);
          allocations++;
        }
      });
    }
  })();
  db.close();
  return { invoices, allocations };
}

/** The rows the report reads, fetched raw: units with residents, the year's invoices, paid and adjusted sums. */
function rawRead(file: string, estateId: string): number {
  const db = new BetterSqlite3(file, { readonly: true });
  const started = process.hrtime.bigint();
  let rows = 0;
  rows += db.prepare('select id, code, sort_key, deleted_at from units where estate_id = ? order by sort_key').all(estateId).length;
  rows += db
    .prepare(`select o.unit_id, o.relation, r.name from unit_occupancies o join residents r on r.id = o.resident_id
    where o.estate_id = ? and o.deleted_at is null and o.moved_out_on is null`)
    .all(estateId).length;
  rows += db
    .prepare('select id, unit_id, period, total from invoices where estate_id = ? and period >= ? and period <= ?')
    .all(estateId, `${YEAR}-01`, `${YEAR}-12`).length;
  rows += db
    .prepare(`select pa.invoice_id, sum(pa.amount) s from payment_allocations pa join invoices i on i.id = pa.invoice_id
    where pa.estate_id = ? and i.period >= ? and i.period <= ? group by pa.invoice_id`)
    .all(estateId, `${YEAR}-01`, `${YEAR}-12`).length;
  rows += db
    .prepare(`select ad.invoice_id, ad.kind, sum(ad.amount) s from invoice_adjustments ad join invoices i on i.id = ad.invoice_id
    where ad.estate_id = ? and i.period >= ? and i.period <= ? group by ad.invoice_id, ad.kind`)
    .all(estateId, `${YEAR}-01`, `${YEAR}-12`).length;
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  db.close();
  if (rows < UNITS) throw new Error(`raw read found ${rows} rows; the seed did not land`);
  return ms;
}

async function timeDownload(url: string, headers: Record<string, string>): Promise<{ ms: number; bytes: number; type: string }> {
  const started = process.hrtime.bigint();
  const res = await fetch(url, { headers });
  const body = Buffer.from(await res.arrayBuffer());
  const ms = Number(process.hrtime.bigint() - started) / 1e6;
  if (res.status !== 200) throw new Error(`${url}: ${res.status} ${body.toString('utf8', 0, 300)}`);
  return { ms, bytes: body.length, type: res.headers.get('content-type') ?? '' };
}

function median(values: number[]): number {
  const s = [...values].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units with residents and ${UNITS * 12} invoices…\n`);
  const seeded = await seedEstate(UNITS);
  try {
    const file = path.join(seeded.dataDir, 'klustera.sqlite');
    const ledger = seedLedger(file, seeded.estateId);
    process.stdout.write(
      `seeded in ${seeded.seedSeconds.toFixed(1)} s + ledger ${ledger.invoices} invoices, ${ledger.allocations} allocations\n`,
    );
    const rawRuns = Array.from({ length: RUNS + 1 }, () => rawRead(file, seeded.estateId)).slice(1);
    const rawMs = median(rawRuns);

    const server = await spawnServer(seeded.dataDir);
    const scenarios: Record<string, Figures> = {};
    try {
      const headers = { authorization: `Bearer ${await bearerToken(server.url)}` };
      const base = `${server.url}/api/v1/estates/${seeded.estateId}/reports/arrears?year=${YEAR}`;
      for (const format of ['json', 'xlsx', 'pdf'] as const) {
        await timeDownload(`${base}&format=${format}`, headers); // warm-up: module loading, JIT, SQLite page cache
        const runs: { ms: number; bytes: number }[] = [];
        for (let i = 0; i < RUNS; i++) runs.push(await timeDownload(`${base}&format=${format}`, headers));
        scenarios[format] = {
          median_ms: round(median(runs.map((r) => r.ms)), 1),
          max_ms: round(Math.max(...runs.map((r) => r.ms)), 1),
          min_ms: round(Math.min(...runs.map((r) => r.ms)), 1),
          bytes: runs[0].bytes,
          runs: RUNS,
        };
      }
      scenarios.server = { rss_mb_after: server.rssMb() };
    } finally {
      await server.stop();
    }

    return report({
      name: 'reports-arrears',
      description: `GET reports/arrears for ${UNITS} units × 12 months as JSON, .xlsx and PDF over HTTP (median of ${RUNS} after a warm-up)`,
      scenarios,
      baseline: {
        description: 'raw better-sqlite3 reads of the rows the report uses (units, residents, invoices, allocation and adjustment sums)',
        scenarios: { raw_read: { median_ms: round(rawMs, 1) } },
      },
      ratios: {
        'json.vs_raw_read': ratio(Number(scenarios.json.median_ms), rawMs),
        'xlsx.vs_raw_read': ratio(Number(scenarios.xlsx.median_ms), rawMs),
        'pdf.vs_raw_read': ratio(Number(scenarios.pdf.median_ms), rawMs),
      },
      budgets: [
        {
          figure: 'xlsx.median_ms',
          text: 'arrears report, 10,000 units × 12 months, to .xlsx < 3 s',
          measured: Number(scenarios.xlsx.median_ms),
          limit: 3000,
          kind: 'max',
        },
        {
          figure: 'pdf.median_ms',
          text: 'arrears report, 10,000 units × 12 months, to .pdf < 5 s',
          measured: Number(scenarios.pdf.median_ms),
          limit: 5000,
          kind: 'max',
        },
      ],
      parameters: {
        units: UNITS,
        months: 12,
        invoices: ledger.invoices,
        allocations: ledger.allocations,
        runs: RUNS,
        seed_s: round(seeded.seedSeconds, 1),
      },
    });
  } finally {
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
