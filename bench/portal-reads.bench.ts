// The resident portal's three reads (balance, invoices, payments) at 500 connections, signed in as residents,
// against the DESIGN.md budget: ≥ 3,000 req/s and p95 < 30 ms each on SQLite. The estate: BENCH_UNITS units (2,000)
// billed monthly for 12 months and paid most months, with one unit in ten having changed tenant half-way (so the
// occupancy rule has history to hide). Two baselines from the same run: GET /health at the same connections
// against the same server process (what HTTP, the pipeline and the load generator cost before any data), and the
// same portal reads called in-process on the same SQLite file (the data layer without HTTP).
import { rmSync } from 'node:fs';
import os from 'node:os';
import { openDatabase } from '../server/db/knex.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../server/db/scoped-store.ts';
import { loadSyncContext } from '../server/db/sync-context.ts';
import { portalBalance, portalInvoices, portalPayments, type PortalView } from '../server/ledger/portal-store.ts';
import { measureHttpLoad, type LoadResult } from './lib/http-load.ts';
import { GOAL_P95_MS, GOAL_RPS, MOVE_IN, PAGES, PERIODS, type Resident, seedLedger, signIn } from './lib/portal-estate.ts';
import { report, ratio, type Figures } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 500);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const SIGNED_IN = Number(process.env.BENCH_RESIDENTS ?? 40);

/** The same reads in-process on the same file: the data layer's statements on better-sqlite3, no HTTP. */
async function inProcessBaseline(dataDir: string, estateId: string, residents: Resident[]): Promise<Record<string, Figures>> {
  const db = openDatabase({ dataDir });
  const store = new ScopedStore(db.knex, estateId, SYSTEM_ACTOR, await loadSyncContext(db.knex), { timezone: 'Asia/Jakarta' });
  const views: PortalView[] = residents.map((r) => ({
    residentId: r.residentId,
    unitId: r.unitId,
    unitCode: null,
    visibleFrom: r.moved ? MOVE_IN : '',
    visibleFromInstant: r.moved ? '2026-05-31T17:00:00.000Z' : '',
  }));
  const page = { limit: 50, offset: 0 };
  const reads: Record<(typeof PAGES)[number], (v: PortalView) => Promise<unknown>> = {
    balance: (v) => portalBalance(store, v),
    invoices: (v) => portalInvoices(store, v, page),
    payments: (v) => portalPayments(store, v, page),
  };
  const out: Record<string, Figures> = {};
  try {
    for (const name of PAGES) {
      const samples: number[] = [];
      const runFor = async (seconds: number, keep: boolean) => {
        const until = performance.now() + seconds * 1000;
        for (let i = 0; performance.now() < until; i++) {
          const t0 = performance.now();
          await reads[name](views[i % views.length]);
          if (keep) samples.push(performance.now() - t0);
        }
      };
      await runFor(0.5, false);
      const started = performance.now();
      await runFor(Math.min(3, DURATION_S), true);
      const elapsed = (performance.now() - started) / 1000;
      const latency = summarizeLatencies(samples);
      out[name] = {
        calls_per_s: round(samples.length / elapsed, 1),
        p50_ms: latency.p50_ms,
        p95_ms: latency.p95_ms,
        p99_ms: latency.p99_ms,
      };
    }
  } finally {
    await db.close();
  }
  return out;
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units, ${PERIODS.length} months of invoices and payments…\n`);
  const seeded = await seedEstate(UNITS);
  try {
    const ledgerStarted = performance.now();
    const { residents: all, payments } = await seedLedger(seeded.dataDir, seeded.estateId);
    const seedS = seeded.seedSeconds + (performance.now() - ledgerStarted) / 1000;
    process.stdout.write(`seeded in ${seedS.toFixed(1)} s (${payments} payments)\n`);
    // Spread the signed-in residents over the estate; every fifth of them is a tenant who moved in half-way.
    const chosen = Array.from({ length: Math.min(SIGNED_IN, all.length) }, (_, i) =>
      i % 5 === 0 ? all[(i * 10) % all.length] : all[Math.floor((i * all.length) / SIGNED_IN) | 1],
    );
    const baseline: Record<string, Figures> = await inProcessBaseline(seeded.dataDir, seeded.estateId, chosen);

    // The budgets assume an otherwise idle 2-core machine; the load average says how far this run was from that.
    const loadBefore = os.loadavg()[0];
    const server = await spawnServer(seeded.dataDir);
    const scenarios: Record<string, Figures> = {};
    const ratios: Record<string, number> = {};
    const budgets = [];
    try {
      const token = await bearerToken(server.url);
      const cookies: string[] = [];
      const sessionDb = openDatabase({ dataDir: seeded.dataDir });
      try {
        for (const [n, resident] of chosen.entries())
          cookies.push(await signIn(server.url, seeded.estateId, token, sessionDb.knex, resident, n));
      } finally {
        await sessionDb.close();
      }
      const health: LoadResult = await measureHttpLoad({
        baseUrl: server.url,
        paths: ['/api/v1/health'],
        connections: CONNECTIONS,
        durationSeconds: DURATION_S,
      });
      baseline.http_health = { ...health };
      for (const name of PAGES) {
        const path = `/api/v1/estates/${seeded.estateId}/portal/${name}`;
        const check = await fetch(`${server.url}${path}`, { headers: { cookie: cookies[0] } });
        const body = (await check.json()) as { items?: unknown[]; total?: number };
        if (check.status !== 200) throw new Error(`${name}: ${check.status} ${JSON.stringify(body).slice(0, 200)}`);
        const load = await measureHttpLoad({
          baseUrl: server.url,
          paths: [],
          requests: cookies.map((cookie) => ({ path, headers: { cookie } })),
          connections: CONNECTIONS,
          durationSeconds: DURATION_S,
        });
        scenarios[name] = { ...load, items_first_resident: body.items?.length ?? null };
        ratios[`${name}.health_rps_per_page_rps`] = ratio(health.requests_per_s, load.requests_per_s);
        ratios[`${name}.p50_http_vs_in_process`] = ratio(load.p50_ms, Number(baseline[name].p50_ms));
        budgets.push(
          {
            figure: `${name}.requests_per_s`,
            text: `portal ${name} ≥ ${GOAL_RPS} req/s at ${CONNECTIONS} conn.`,
            measured: load.requests_per_s,
            limit: GOAL_RPS,
            kind: 'min' as const,
          },
          {
            figure: `${name}.p95_ms`,
            text: `portal ${name} p95 < ${GOAL_P95_MS} ms`,
            measured: load.p95_ms,
            limit: GOAL_P95_MS,
            kind: 'max' as const,
          },
        );
      }
      scenarios.server = { rss_mb_after_load: server.rssMb() };
    } finally {
      await server.stop();
    }
    return report({
      name: 'portal-reads',
      description: `GET portal balance / invoices / payments as ${chosen.length} signed-in residents, ${UNITS} units × ${PERIODS.length} months, ${CONNECTIONS} connections, ${DURATION_S} s each`,
      scenarios,
      baseline: {
        description:
          'GET /health over HTTP at the same connections (same server process), and the portal reads called in-process on the same SQLite file',
        scenarios: baseline,
      },
      ratios,
      budgets,
      parameters: {
        units: UNITS,
        months: PERIODS.length,
        payments,
        signed_in_residents: chosen.length,
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        seed_s: round(seedS, 1),
        load_average_1m_before: round(loadBefore, 2),
        load_average_1m_after: round(os.loadavg()[0], 2),
      },
    });
  } finally {
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
