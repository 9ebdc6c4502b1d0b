// Recording a payment over HTTP (allocation + payment number + cash book + audit + outbox) at a steady 200 req/s
// against the DESIGN.md budget: p99 < 20 ms. Open loop: requests start on schedule whether or not earlier ones
// have answered, so a slow server shows up as latency instead of a lower rate. The baseline is GET /health at the
// same rate against the same server process: what HTTP and the pipeline cost before any ledger work.
import { measurePayments } from './lib/payments-run.ts';
import { ratio, report } from './lib/report.ts';
import { round } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const RATE = Number(process.env.BENCH_RATE ?? 200);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units and billing two months…\n`);
  // The baseline is the GET /health run the shared loop makes on the same server.
  const { product: p, health: b } = await measurePayments({ units: UNITS, rate: RATE, durationSeconds: DURATION, baseline: () => null });
  return report({
    name: 'payments',
    description: `POST payments at ${RATE} req/s for ${DURATION} s (open loop), ${UNITS} units with two billed months`,
    scenarios: { record_payment: p },
    baseline: {
      description: `GET /health at the same rate on the same server`,
      scenarios: { health: b },
    },
    ratios: { 'record_payment.p99_ms': ratio(p.p99_ms, b.p99_ms), 'record_payment.p50_ms': ratio(p.p50_ms, b.p50_ms) },
    budgets: [
      { figure: 'p99_ms', text: 'record payment p99 < 20 ms', measured: round(p.p99_ms, 2), limit: 20, kind: 'max' },
      { figure: 'failures', text: 'every payment recorded', measured: p.failures, limit: 0, kind: 'max' },
    ],
    parameters: { units: UNITS, rate: RATE, duration_s: DURATION },
  });
}

process.exitCode = await main();
