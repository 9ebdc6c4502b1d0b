// Listing and searching 10,000 units over HTTP (GET /api/v1/estates/:id/units), against the same queries run raw
// through better-sqlite3 in this process. DESIGN.md sets no budget for this page; the figures are for comparison
// over time and against the raw queries.
import { rmSync } from 'node:fs';
import { unitListQuery } from '../server/units/schemas.ts';
import { listUnits } from '../server/units/service.ts';
import { captureServiceSql, measureRawLoop } from './lib/captured-sql.ts';
import { measureHttpLoad } from './lib/http-load.ts';
import { report, ratio, type Figures } from './lib/report.ts';
import { bearerToken, seedEstate, type SeededEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 10);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 10);
const PAGE = 50;
const FAMILY_QUERIES = ['santoso', 'wijaya', 'hidayat', 'siregar', 'nasution', 'gunawan', 'lubis', 'wibowo'];
const CODE_QUERIES = ['A-1', 'C-2', 'F-3', 'K-1', 'N-4', 'S-12', 'V-2', 'Z-3'];

interface Scenario {
  name: string;
  /** The `q` values cycled through (undefined: no search). */
  queries: (string | undefined)[];
}

const SCENARIOS: Scenario[] = [
  { name: 'list_page_1', queries: [undefined] },
  { name: 'search_code_prefix', queries: CODE_QUERIES },
  { name: 'search_resident_name', queries: FAMILY_QUERIES },
];

function unitsPath(estateId: string, q: string | undefined): string {
  const params = new URLSearchParams({ limit: String(PAGE), offset: '0' });
  if (q !== undefined) params.set('q', q);
  return `/api/v1/estates/${estateId}/units?${params}`;
}

/**
 * The exact SQL statements the product's unit listing runs for each `q` (count, one page, the residents of that
 * page), captured from knex while calling the real service once, then replayed raw through better-sqlite3.
 */
async function rawListing(dataDir: string, estateId: string, queries: (string | undefined)[]) {
  const raw = await captureServiceSql(dataDir, estateId, queries, (store, q) =>
    listUnits(store, unitListQuery.parse({ q, limit: PAGE, offset: 0 })),
  );
  return { ...raw, statementsPerRequest: Math.max(...[...raw.captured.values()].map((list) => list.length)) };
}

/** One call slower than this is not repeated under load: the figure is reported from that single call. */
const TOO_SLOW_TO_LOAD_MS = 2_000;

function measureRaw(raw: Awaited<ReturnType<typeof rawListing>>, scenario: Scenario): Figures {
  const first = process.hrtime.bigint();
  raw.run(scenario.queries[0]);
  const firstMs = Number(process.hrtime.bigint() - first) / 1e6;
  if (firstMs > TOO_SLOW_TO_LOAD_MS) return { queries_per_s: round(1000 / firstMs, 3), p50_ms: round(firstMs), single_call: true };
  return measureRawLoop((i) => raw.run(scenario.queries[i % scenario.queries.length]), DURATION_S);
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units with residents…\n`);
  const seeded: SeededEstate = await seedEstate(UNITS);
  process.stdout.write(`seeded in ${seeded.seedSeconds.toFixed(1)} s\n`);
  try {
    const raw = await rawListing(
      seeded.dataDir,
      seeded.estateId,
      SCENARIOS.flatMap((s) => s.queries),
    );
    const baseline: Record<string, Figures> = {};
    for (const scenario of SCENARIOS) {
      baseline[scenario.name] = measureRaw(raw, scenario);
    }
    const statementsPerRequest = raw.statementsPerRequest;
    raw.close();

    const server = await spawnServer(seeded.dataDir);
    const scenarios: Record<string, Figures> = {};
    const ratios: Record<string, number> = {};
    try {
      const token = await bearerToken(server.url);
      const headers = { authorization: `Bearer ${token}` };
      for (const scenario of SCENARIOS) {
        const paths = scenario.queries.map((q) => unitsPath(seeded.estateId, q));
        const checkStarted = process.hrtime.bigint();
        const check = await fetch(`${server.url}${paths[0]}`, { headers });
        const body = (await check.json()) as { items?: unknown[]; total?: number };
        const checkMs = Number(process.hrtime.bigint() - checkStarted) / 1e6;
        if (check.status !== 200 || !body.items?.length)
          throw new Error(`${scenario.name}: ${check.status} ${JSON.stringify(body).slice(0, 200)}`);
        if (checkMs > TOO_SLOW_TO_LOAD_MS) {
          // Loading a request this slow would only queue work the server keeps chewing on into the next scenario.
          process.stdout.write(`${scenario.name}: one request took ${Math.round(checkMs)} ms; not loading it\n`);
          scenarios[scenario.name] = {
            single_request_ms: round(checkMs, 1),
            requests_per_s: round(1000 / checkMs, 3),
            first_page_total: body.total ?? null,
          };
          ratios[`${scenario.name}.single_call_http_vs_raw`] = ratio(checkMs, Number(baseline[scenario.name].p50_ms));
          continue;
        }
        const load = await measureHttpLoad({ baseUrl: server.url, paths, headers, connections: CONNECTIONS, durationSeconds: DURATION_S });
        scenarios[scenario.name] = { ...load, first_page_total: body.total ?? null };
        ratios[`${scenario.name}.raw_qps_per_http_rps`] = ratio(Number(baseline[scenario.name].queries_per_s), load.requests_per_s);
        ratios[`${scenario.name}.p50_http_vs_raw`] = ratio(load.p50_ms, Number(baseline[scenario.name].p50_ms));
      }
      scenarios.server = { rss_mb_after_load: server.rssMb() };
    } finally {
      await server.stop();
    }

    return report({
      name: 'units-list',
      description: `GET units list/search over HTTP, ${UNITS} units, ${CONNECTIONS} connections, ${DURATION_S} s each`,
      scenarios,
      baseline: {
        description: 'the SQL the unit listing runs (captured from the service), replayed raw through better-sqlite3 in-process',
        scenarios: baseline,
      },
      ratios,
      budgets: [],
      parameters: {
        units: UNITS,
        connections: CONNECTIONS,
        duration_s: DURATION_S,
        page: PAGE,
        sql_statements_per_request: statementsPerRequest,
        seed_s: round(seeded.seedSeconds, 1),
        budget: 'none in DESIGN.md for this page',
      },
    });
  } finally {
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
