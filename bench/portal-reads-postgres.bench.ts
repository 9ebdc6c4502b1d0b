// The resident portal's three reads at 500 connections on PostgreSQL (an embedded one, lib/postgres.ts), against one
// `klustera serve` process and then against two processes on the same database, the load generator spreading its
// connections evenly over both (as a round-robin load balancer would). DESIGN.md's goal: the SQLite budget
// (≥ 3,000 req/s and p95 < 30 ms each) "on two processes over PostgreSQL". The estate is portal-reads.bench.ts's
// (lib/portal-estate.ts). Baseline from the same run: GET /health at the same connections against the same process(es).
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../server/db/knex.ts';
import { measureHttpLoad, type LoadResult } from './lib/http-load.ts';
import { GOAL_P95_MS, GOAL_RPS, PAGES, PERIODS, seedLedger, signIn } from './lib/portal-estate.ts';
import { withPostgres } from './lib/postgres.ts';
import { ratio, report, type BudgetCheck, type Figures, type ReportOnly } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer, type ServerProcess } from './lib/server-process.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const CONNECTIONS = Number(process.env.BENCH_CONNECTIONS ?? 500);
const DURATION_S = Number(process.env.BENCH_DURATION ?? 5);
const SIGNED_IN = Number(process.env.BENCH_RESIDENTS ?? 40);

async function main(): Promise<number> {
  return withPostgres(async ({ url }) => {
    process.stdout.write(`seeding ${UNITS} units, ${PERIODS.length} months of invoices and payments on PostgreSQL…\n`);
    const seeded = await seedEstate(UNITS, { databaseUrl: url });
    const ledgerStarted = performance.now();
    const { residents: all, payments } = await seedLedger(seeded.dataDir, seeded.estateId, url);
    const seedS = seeded.seedSeconds + (performance.now() - ledgerStarted) / 1000;
    process.stdout.write(`seeded in ${seedS.toFixed(1)} s (${payments} payments)\n`);
    const chosen = Array.from({ length: Math.min(SIGNED_IN, all.length) }, (_, i) =>
      i % 5 === 0 ? all[(i * 10) % all.length] : all[Math.floor((i * all.length) / SIGNED_IN) | 1],
    );
    const loadBefore = os.loadavg()[0];
    const secondDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-second-'));
    const servers: ServerProcess[] = [];
    const scenarios: Record<string, Figures> = {};
    const baseline: Record<string, Figures> = {};
    const ratios: Record<string, number> = {};
    const budgets: BudgetCheck[] = [];
    const reportOnly: ReportOnly[] = [];
    try {
      servers.push(await spawnServer(seeded.dataDir, { DATABASE_URL: url }));
      servers.push(await spawnServer(secondDir, { DATABASE_URL: url }));
      const token = await bearerToken(servers[0].url);
      const cookies: string[] = [];
      const sessionDb = openDatabase({ dataDir: seeded.dataDir, databaseUrl: url });
      try {
        for (const [n, resident] of chosen.entries())
          cookies.push(await signIn(servers[0].url, seeded.estateId, token, sessionDb.knex, resident, n));
      } finally {
        await sessionDb.close();
      }
      for (const [label, urls] of [
        ['one', [servers[0].url]],
        ['two', servers.map((s) => s.url)],
      ] as const) {
        const health: LoadResult = await measureHttpLoad({
          baseUrl: urls[0],
          baseUrls: [...urls],
          paths: ['/api/v1/health'],
          connections: CONNECTIONS,
          durationSeconds: DURATION_S,
        });
        baseline[`${label}_http_health`] = { ...health };
        for (const name of PAGES) {
          const pagePath = `/api/v1/estates/${seeded.estateId}/portal/${name}`;
          for (const server of urls) {
            const check = await fetch(`${server}${pagePath}`, { headers: { cookie: cookies[0] } });
            if (check.status !== 200) throw new Error(`${name} on ${server}: ${check.status} ${(await check.text()).slice(0, 200)}`);
          }
          const load = await measureHttpLoad({
            baseUrl: urls[0],
            baseUrls: [...urls],
            paths: [],
            requests: cookies.map((cookie) => ({ path: pagePath, headers: { cookie } })),
            connections: CONNECTIONS,
            durationSeconds: DURATION_S,
          });
          const key = `${label}_${name}`;
          scenarios[key] = { ...load };
          ratios[`${key}.health_rps_per_page_rps`] = ratio(health.requests_per_s, load.requests_per_s);
          if (label === 'two') {
            budgets.push(
              {
                figure: `${key}.requests_per_s`,
                text: `portal ${name}, 2 processes on PostgreSQL ≥ ${GOAL_RPS} req/s`,
                measured: load.requests_per_s,
                limit: GOAL_RPS,
                kind: 'min',
              },
              {
                figure: `${key}.p95_ms`,
                text: `portal ${name}, 2 processes on PostgreSQL p95 < ${GOAL_P95_MS} ms`,
                measured: load.p95_ms,
                limit: GOAL_P95_MS,
                kind: 'max',
              },
            );
          } else {
            reportOnly.push(
              { figure: `${key}.requests_per_s`, text: `portal ${name}, 1 process on PostgreSQL, req/s`, measured: load.requests_per_s },
              { figure: `${key}.p95_ms`, text: `portal ${name}, 1 process on PostgreSQL, p95 ms`, measured: load.p95_ms },
            );
          }
        }
      }
      for (const name of PAGES) {
        ratios[`${name}.two_vs_one_rps`] = ratio(
          Number(scenarios[`two_${name}`].requests_per_s),
          Number(scenarios[`one_${name}`].requests_per_s),
        );
      }
      scenarios.servers = { rss_mb_first: servers[0].rssMb(), rss_mb_second: servers[1].rssMb() };
    } finally {
      for (const server of servers) await server.stop();
      rmSync(secondDir, { recursive: true, force: true });
      rmSync(seeded.dataDir, { recursive: true, force: true });
    }
    return report({
      name: 'portal-reads-postgres',
      description: `GET portal balance / invoices / payments as ${chosen.length} signed-in residents on PostgreSQL, ${UNITS} units × ${PERIODS.length} months, ${CONNECTIONS} connections over one and over two server processes, ${DURATION_S} s each`,
      scenarios,
      baseline: { description: 'GET /health over HTTP at the same connections against the same process(es)', scenarios: baseline },
      ratios,
      budgets,
      reportOnly,
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
  });
}

process.exitCode = await main();
