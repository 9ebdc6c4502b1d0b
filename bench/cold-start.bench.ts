// Server cold start with a 10,000-unit database: spawn `node bin/klustera.mjs serve --port 0 --data-dir D` and time
// the KLUSTERA_READY line and the first 200 from /api/v1/health; RSS once ready. Baseline: `node -e` start-up.
// Budget (DESIGN.md): ready < 1.5 s (held to the median of the runs), RSS < 200 MB (the largest seen).
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { report, ratio } from './lib/report.ts';
import { seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 10_000);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);

async function firstHealthyMs(url: string, spawnedAt: bigint): Promise<number> {
  for (;;) {
    try {
      const response = await fetch(`${url}/api/v1/health`);
      await response.arrayBuffer();
      if (response.status === 200) return Number(process.hrtime.bigint() - spawnedAt) / 1e6;
    } catch {
      // not accepting yet
    }
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function nodeStartupMs(): number {
  const started = process.hrtime.bigint();
  const result = spawnSync(process.execPath, ['-e', 'process.stdout.write("ready\\n")'], { encoding: 'utf8' });
  if (result.stdout !== 'ready\n') throw new Error('node -e baseline failed');
  return Number(process.hrtime.bigint() - started) / 1e6;
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units with residents…\n`);
  const seeded = await seedEstate(UNITS);
  process.stdout.write(`seeded in ${seeded.seedSeconds.toFixed(1)} s\n`);
  try {
    const ready: number[] = [];
    const healthy: number[] = [];
    const rss: number[] = [];
    // The first start also warms the OS file cache; it is measured but reported apart.
    let firstStart: { ready_ms: number; health_200_ms: number } | undefined;
    for (let run = 0; run <= RUNS; run++) {
      const spawnedAt = process.hrtime.bigint();
      const server = await spawnServer(seeded.dataDir);
      const healthMs = await firstHealthyMs(server.url, spawnedAt);
      const rssMb = server.rssMb();
      await server.stop();
      if (run === 0) {
        firstStart = { ready_ms: round(server.readyMs, 1), health_200_ms: round(healthMs, 1) };
        continue;
      }
      ready.push(server.readyMs);
      healthy.push(healthMs);
      rss.push(rssMb);
    }
    const baselineSamples = Array.from({ length: RUNS }, nodeStartupMs);
    const readySummary = summarizeLatencies(ready);
    const healthSummary = summarizeLatencies(healthy);
    const baselineSummary = summarizeLatencies(baselineSamples);
    const maxRss = Math.max(...rss);
    return report({
      name: 'cold-start',
      description: `spawn → KLUSTERA_READY and → first 200 from /api/v1/health, ${UNITS}-unit database, ${RUNS} runs`,
      scenarios: {
        ready: { p50_ms: readySummary.p50_ms, max_ms: readySummary.max_ms, mean_ms: readySummary.mean_ms },
        health_200: { p50_ms: healthSummary.p50_ms, max_ms: healthSummary.max_ms, mean_ms: healthSummary.mean_ms },
        rss: { max_mb: maxRss, p50_mb: summarizeLatencies(rss).p50_ms },
        first_start_cold_cache: firstStart ?? {},
      },
      baseline: {
        description: '`node -e` spawn to exit (bare Node start-up)',
        scenarios: { node_e: { p50_ms: baselineSummary.p50_ms, max_ms: baselineSummary.max_ms } },
      },
      ratios: {
        'ready.p50_vs_node_e': ratio(readySummary.p50_ms, baselineSummary.p50_ms),
        'health_200.p50_vs_node_e': ratio(healthSummary.p50_ms, baselineSummary.p50_ms),
      },
      budgets: [
        { figure: 'ready.p50_ms', text: 'ready < 1.5 s', measured: readySummary.p50_ms, limit: 1500, kind: 'max' },
        { figure: 'rss.max_mb', text: 'RSS < 200 MB', measured: maxRss, limit: 200, kind: 'max' },
      ],
      parameters: { units: UNITS, runs: RUNS, seed_s: round(seeded.seedSeconds, 1) },
    });
  } finally {
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
