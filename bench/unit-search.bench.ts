// The unit search (GET /api/v1/estates/:id/units/search) over 10,000 units: by code prefix in the spellings people
// type, and by a resident's name, at 10 connections. Baseline: the exact SQL the search runs, captured from knex
// while calling the real service, replayed raw through better-sqlite3 in this process. Budget (DESIGN.md): p99 < 20 ms.
import { rmSync } from 'node:fs';
import { searchUnits } from '../server/units/unit-search.ts';
import { captureServiceSql, measureRawLoop } from './lib/captured-sql.ts';
import { measureHttpLoad } from './lib/http-load.ts';
import { report, ratio, type BudgetCheck, type Figures } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const LIMIT = 20;

const SCENARIOS = [
  { name: 'search_code_prefix', queries: ['a1', 'C-2', 'f 3', 'K/1', 'n-04', 'S-12', 'v2', 'Z-3', '12', '7'] },
  { name: 'search_resident_name', queries: ['santoso', 'wijaya', 'hidayat', 'siregar', 'budi', 'siti', 'agus', 'dewi'] },
];

function searchPath(estateId: string, q: string): string {
  return `/api/v1/estates/${estateId}/units/search?${new URLSearchParams({ q, limit: String(LIMIT) })}`;
}

async function rawSearch(dataDir: string, estateId: string, queries: string[]) {
  const raw = await captureServiceSql(
    dataDir,
    estateId,
    queries,
    async (store, q) => (await searchUnits(store, { q, limit: LIMIT, gate: false })).length,
  );
  const plans = [...raw.captured.values()]
    .flat()
    .map((s) => raw.db.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...(s.bindings as unknown[])) as { detail: string }[]);
  const scans = plans
    .flat()
    .filter((step) => /^SCAN (units|residents|unit_occupancies)\b/.test(step.detail) && !/USING/.test(step.detail)).length;
  return { hits: raw.results, fullTableScans: scans, run: raw.run, close: raw.close };
}

function measureRaw(raw: Awaited<ReturnType<typeof rawSearch>>, queries: string[]): Figures {
  return measureRawLoop((i) => raw.run(queries[i % queries.length]), DURATION_S);
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units with residents…\n`);
  const seeded = await seedEstate(UNITS);
  process.stdout.write(`seeded in ${seeded.seedSeconds.toFixed(1)} s\n`);
  try {
    const raw = await rawSearch(
      seeded.dataDir,
      seeded.estateId,
      SCENARIOS.flatMap((s) => s.queries),
    );
    for (const [q, n] of raw.hits)
      if (n === 0) throw new Error(`the search for ${JSON.stringify(q)} found nothing: the benchmark would measure empty answers`);
    const baseline: Record<string, Figures> = {};
    for (const scenario of SCENARIOS) baseline[scenario.name] = measureRaw(raw, scenario.queries);
    const fullTableScans = raw.fullTableScans;
    raw.close();

    const server = await spawnServer(seeded.dataDir);
    const scenarios: Record<string, Figures> = {};
    const ratios: Record<string, number> = {};
    const budgets: BudgetCheck[] = [];
    try {
      const headers = { authorization: `Bearer ${await bearerToken(server.url)}` };
      for (const scenario of SCENARIOS) {
        const paths = scenario.queries.map((q) => searchPath(seeded.estateId, q));
        const check = await fetch(`${server.url}${paths[0]}`, { headers });
        const body = (await check.json()) as { items?: unknown[] };
        if (check.status !== 200 || !body.items?.length)
          throw new Error(`${scenario.name}: ${check.status} ${JSON.stringify(body).slice(0, 200)}`);
        const load = await measureHttpLoad({ baseUrl: server.url, paths, headers, connections: CONNECTIONS, durationSeconds: DURATION_S });
        scenarios[scenario.name] = { ...load };
        ratios[`${scenario.name}.p50_http_vs_raw`] = ratio(load.p50_ms, Number(baseline[scenario.name].p50_ms));
        ratios[`${scenario.name}.p99_http_vs_raw`] = ratio(load.p99_ms, Number(baseline[scenario.name].p99_ms));
        budgets.push({
          figure: `${scenario.name}.p99_ms`,
          text: `unit search ${scenario.name.replace('search_', 'by ').replace(/_/g, ' ')} p99 < 20 ms`,
          measured: round(load.p99_ms, 2),
          limit: 20,
          kind: 'max',
        });
      }
      scenarios.server = { rss_mb_after_load: server.rssMb() };
    } finally {
      await server.stop();
    }

    return report({
      name: 'unit-search',
      description: `GET units/search over HTTP, ${UNITS} units, ${CONNECTIONS} connections, ${DURATION_S} s each`,
      scenarios,
      baseline: {
        description: 'the SQL the unit search runs (captured from the service), replayed raw through better-sqlite3 in-process',
        scenarios: baseline,
      },
      ratios,
      budgets,
      parameters: {
        units: UNITS,
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        limit: LIMIT,
        full_table_scans_in_plans: fullTableScans,
        seed_s: round(seeded.seedSeconds, 1),
      },
    });
  } finally {
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
