// Listing and searching 10,000 units over HTTP (GET /api/v1/estates/:id/units), against the same queries run raw
// through better-sqlite3 in this process. DESIGN.md sets no budget for this page; the figures are for comparison
// over time and against the raw queries.
import { rmSync } from 'node:fs';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { measureHttpLoad } from './lib/http-load.ts';
import { report, ratio, type Figures } from './lib/report.ts';
import { bearerToken, seedEstate, type SeededEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

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

/** The SQL the unit list runs (count, one page in code order, the residents of that page), prepared once. */
function rawListing(file: string, estateId: string) {
  const db = new BetterSqlite3(file, { readonly: true });
  const search = `and (u.code like ? or lower(u.notes) like ? escape '\\' or exists (
      select 1 from unit_occupancies uo join residents r on r.id = uo.resident_id
      where uo.unit_id = u.id and uo.deleted_at is null and uo.moved_out_on is null and r.deleted_at is null
        and lower(r.name) like ? escape '\\'))`;
  const where = (q: boolean) => `from units u where u.estate_id = ? and u.deleted_at is null ${q ? search : ''}`;
  const count = { plain: db.prepare(`select count(*) as total ${where(false)}`), search: db.prepare(`select count(*) as total ${where(true)}`) };
  const page = {
    plain: db.prepare(`select u.* ${where(false)} order by u.sort_key asc limit ? offset ?`),
    search: db.prepare(`select u.* ${where(true)} order by u.sort_key asc limit ? offset ?`),
  };
  const residents = db.prepare(`select uo.unit_id, r.id, r.name, uo.relation from unit_occupancies uo
      join residents r on r.id = uo.resident_id
      where uo.estate_id = ? and uo.deleted_at is null and uo.unit_id in (select value from json_each(?))
        and uo.moved_out_on is null and r.deleted_at is null order by r.name`);
  return {
    run(q: string | undefined) {
      const args: unknown[] = [estateId];
      if (q !== undefined) {
        const lower = q.toLowerCase();
        args.push(`${q.toUpperCase()}%`, `%${lower}%`, `%${lower}%`);
      }
      const kind = q === undefined ? 'plain' : 'search';
      const { total } = count[kind].get(...args) as { total: number };
      const rows = page[kind].all(...args, PAGE, 0) as { id: string }[];
      const linked = residents.all(estateId, JSON.stringify(rows.map((r) => r.id)));
      return { total, rows: rows.length, linked: linked.length };
    },
    close: () => db.close(),
  };
}

function measureRaw(raw: ReturnType<typeof rawListing>, scenario: Scenario): Figures {
  const samples: number[] = [];
  const runFor = (seconds: number, keep: boolean) => {
    const until = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    let i = 0;
    while (process.hrtime.bigint() < until) {
      const q = scenario.queries[i++ % scenario.queries.length];
      const start = process.hrtime.bigint();
      raw.run(q);
      if (keep) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  runFor(0.5, false);
  const started = process.hrtime.bigint();
  runFor(Math.min(3, DURATION_S), true);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const latency = summarizeLatencies(samples);
  return { queries_per_s: round(samples.length / elapsed, 1), p50_ms: latency.p50_ms, p95_ms: latency.p95_ms, p99_ms: latency.p99_ms };
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units with residents…\n`);
  const seeded: SeededEstate = await seedEstate(UNITS);
  process.stdout.write(`seeded in ${seeded.seedSeconds.toFixed(1)} s\n`);
  try {
    const raw = rawListing(path.join(seeded.dataDir, 'klustera.sqlite'), seeded.estateId);
    const baseline: Record<string, Figures> = {};
    for (const scenario of SCENARIOS) {
      const sample = raw.run(scenario.queries[0]);
      if (sample.rows === 0) throw new Error(`raw ${scenario.name} found nothing; the seed and the queries disagree`);
      baseline[scenario.name] = measureRaw(raw, scenario);
    }
    raw.close();

    const server = await spawnServer(seeded.dataDir);
    const scenarios: Record<string, Figures> = {};
    const ratios: Record<string, number> = {};
    try {
      const token = await bearerToken(server.url);
      const headers = { authorization: `Bearer ${token}` };
      for (const scenario of SCENARIOS) {
        const paths = scenario.queries.map((q) => unitsPath(seeded.estateId, q));
        const check = await fetch(`${server.url}${paths[0]}`, { headers });
        const body = (await check.json()) as { items?: unknown[]; total?: number };
        if (check.status !== 200 || !body.items?.length) throw new Error(`${scenario.name}: ${check.status} ${JSON.stringify(body).slice(0, 200)}`);
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
      baseline: { description: 'same count + page + residents queries, raw better-sqlite3, one caller in-process', scenarios: baseline },
      ratios,
      budgets: [],
      parameters: { units: UNITS, connections: CONNECTIONS, duration_s: DURATION_S, page: PAGE, seed_s: round(seeded.seedSeconds, 1), budget: 'none in DESIGN.md for this page' },
    });
  } finally {
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
