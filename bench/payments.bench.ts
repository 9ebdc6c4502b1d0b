// Recording a payment over HTTP (allocation + payment number + cash book + audit + outbox) at a steady 200 req/s
// against the DESIGN.md budget: p99 < 20 ms. Open loop: requests start on schedule whether or not earlier ones
// have answered, so a slow server shows up as latency instead of a lower rate. The baseline is GET /health at the
// same rate against the same server process: what HTTP and the pipeline cost before any ledger work.
import { rmSync } from 'node:fs';
import { openDatabase } from '../server/db/knex.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../server/db/scoped-store.ts';
import { loadSyncContext } from '../server/db/sync-context.ts';
import { createFeeType } from '../server/ledger/fee-service.ts';
import { runBilling } from '../server/ledger/billing-run.ts';
import type { Period } from '../server/calendar/calendar.ts';
import { report, ratio } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { openLoop } from './lib/open-loop.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units and billing two months…\n`);
  const seeded = await seedEstate(UNITS);
  const db = openDatabase({ dataDir: seeded.dataDir });
  await migrateToLatest(db);
  const store = new ScopedStore(db.knex, seeded.estateId, SYSTEM_ACTOR, await loadSyncContext(db.knex));
  await createFeeType(store, {
    code: 'IPL',
    name: 'IPL',
    amount: 150_000,
    basis: 'flat',
    vacant_rule: 'charge',
    effective_from: '2026-01',
  });
  for (const period of ['2026-09', '2026-10'] as Period[]) await runBilling(store, { period, due_date: `${period}-10` });
  const unitIds = ((await store.live('units').select('id')) as Array<{ id: string }>).map((u) => u.id);
  await db.close();

  const server = await spawnServer(seeded.dataDir);
  try {
    const token = await bearerToken(server.url);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const total = RATE * DURATION;
    const paymentsUrl = `${server.url}/api/v1/estates/${seeded.estateId}/payments`;
    const pay = async (i: number) => {
      const res = await fetch(paymentsUrl, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `bench-${i}` },
        body: JSON.stringify({
          unit_id: unitIds[i % unitIds.length],
          amount: 100_000 + (i % 5) * 50_000,
          method: i % 3 ? 'cash' : 'bank_transfer',
          paid_at: new Date().toISOString(),
        }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const health = async () => {
      const res = await fetch(`${server.url}/api/v1/health`);
      await res.arrayBuffer();
      return res.status;
    };
    await openLoop(RATE, Math.min(200, total), (i) => pay(total + i)); // warm-up, distinct keys
    const product = await openLoop(RATE, total, pay);
    const baseline = await openLoop(RATE, total, health);
    const p = summarizeLatencies(product.latencies);
    const b = summarizeLatencies(baseline.latencies);
    return report({
      name: 'payments',
      description: `POST payments at ${RATE} req/s for ${DURATION} s (open loop), ${UNITS} units with two billed months`,
      scenarios: { record_payment: { ...p, requests: product.latencies.length, failures: product.failures } },
      baseline: {
        description: `GET /health at the same rate on the same server`,
        scenarios: { health: { ...b, requests: baseline.latencies.length, failures: baseline.failures } },
      },
      ratios: { 'record_payment.p99_ms': ratio(p.p99_ms, b.p99_ms), 'record_payment.p50_ms': ratio(p.p50_ms, b.p50_ms) },
      budgets: [
        { figure: 'p99_ms', text: 'record payment p99 < 20 ms', measured: round(p.p99_ms, 2), limit: 20, kind: 'max' },
        { figure: 'failures', text: 'every payment recorded', measured: product.failures, limit: 0, kind: 'max' },
      ],
      parameters: { units: UNITS, rate: RATE, duration_s: DURATION },
    });
  } finally {
    await server.stop();
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
