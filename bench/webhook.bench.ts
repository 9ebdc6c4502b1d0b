// A gateway's payment callback → the invoice paid, at 200 callbacks a second (DESIGN.md: p99 < 50 ms; issue goal:
// 200/s sustained without errors). The real server (`klustera serve`, SQLite) with Xendit set up against the local
// fake Xendit (tests/support/fake-xendit.ts, the documented shapes); one open QRIS charge per unit, made through the
// charge service before the run. Each callback is sent on schedule (open loop) for a charge the fake has just marked
// paid; the server stores it, acknowledges it, and its job re-reads the charge from the fake and records the payment.
// "Paid" is seen by polling the charge rows from this process every POLL_MS (the figure includes up to that much).
// Baseline: GET /health at the same rate against the same server.
import { rmSync } from 'node:fs';
import type { Period } from '../server/calendar/calendar.ts';
import { openDatabase } from '../server/db/knex.ts';
import { migrateToLatest } from '../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../server/db/scoped-store.ts';
import { loadSyncContext } from '../server/db/sync-context.ts';
import { runBilling } from '../server/ledger/billing-run.ts';
import { createFeeType } from '../server/ledger/fee-service.ts';
import { createOnlineCharge } from '../server/ledger/online/charge-service.ts';
import { startFakeXendit } from '../tests/support/fake-xendit.ts';
import { openLoop } from './lib/open-loop.ts';
import { ratio, report } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

const RATE = Number(process.env.BENCH_RATE ?? 200);
const DURATION = Number(process.env.BENCH_DURATION ?? 10);
const CALLBACKS = RATE * DURATION;
const UNITS = Number(process.env.BENCH_UNITS ?? CALLBACKS);
const POLL_MS = 5;
const SECRET_KEY = 'xnd_development_bench_key';
const CALLBACK_TOKEN = 'bench-callback-token-2026';

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units, billing a month, ${CALLBACKS} open QRIS charges…\n`);
  const seeded = await seedEstate(UNITS);
  const fake = await startFakeXendit(SECRET_KEY);
  let server: Awaited<ReturnType<typeof spawnServer>> | undefined;
  const db = openDatabase({ dataDir: seeded.dataDir });
  try {
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
    await runBilling(store, { period: '2026-11' as Period, due_date: '2026-11-10' });
    const unitIds = ((await store.live('units').orderBy('id').select('id')) as Array<{ id: string }>).map((u) => u.id);

    server = await spawnServer(seeded.dataDir);
    const headers = { authorization: `Bearer ${await bearerToken(server.url)}`, 'content-type': 'application/json' };
    const saved = await fetch(`${server.url}/api/v1/estates/${seeded.estateId}/settings/payment-gateway`, {
      method: 'PUT',
      headers,
      body: JSON.stringify({
        provider: 'xendit',
        enabled: true,
        base_url: fake.url,
        methods: ['qris'],
        fee_bearer: 'estate',
        secret_key: SECRET_KEY,
        callback_token: CALLBACK_TOKEN,
      }),
    });
    if (saved.status !== 200) throw new Error(`gateway settings: ${saved.status} ${await saved.text()}`);

    // One charge per unit for all it owes, made the way the portal makes them (intent, then the gateway).
    const charges: Array<{ id: string; reference: string }> = [];
    for (let i = 0; i < CALLBACKS; i++) {
      const charge = await createOnlineCharge(store, seeded.dataDir, {
        unitId: unitIds[i % unitIds.length],
        residentId: null,
        method: 'qris',
      });
      charges.push({ id: charge.id, reference: charge.reference });
    }

    const webhookUrl = `${server.url}/api/v1/webhooks/xendit`;
    const sentAt = new Map<string, number>();
    const paidAfter: number[] = [];
    let polling = true;
    const seen = new Set<string>();
    const poller = (async () => {
      while (polling) {
        const rows = (await db.knex('online_charges').where({ estate_id: seeded.estateId, status: 'paid' }).select('id')) as Array<{
          id: string;
        }>;
        const now = performance.now();
        for (const { id } of rows) {
          if (seen.has(id)) continue;
          seen.add(id);
          const sent = sentAt.get(id);
          if (sent !== undefined) paidAfter.push(now - sent);
        }
        await new Promise((r) => setTimeout(r, POLL_MS));
      }
    })();

    const callbacks = await openLoop(RATE, CALLBACKS, async (i) => {
      const charge = charges[i];
      const pr = fake.pay(fake.byReference(charge.reference)!.id);
      sentAt.set(charge.id, performance.now());
      const answer = await fake.sendWebhook(webhookUrl, fake.paymentSucceededBody(pr, `py-bench-${i}`), {
        token: CALLBACK_TOKEN,
        webhookId: `wh-bench-${i}`,
      });
      return answer.status;
    });
    // Every charge paid, or give up after 60 s.
    const drainUntil = performance.now() + 60_000;
    while (seen.size < CALLBACKS && performance.now() < drainUntil) await new Promise((r) => setTimeout(r, 50));
    polling = false;
    await poller;
    const payments = Number(
      ((await db.knex('payments').where({ estate_id: seeded.estateId, method: 'qris' }).count({ n: '*' }).first()) as { n: number }).n,
    );

    const health = await openLoop(RATE, CALLBACKS, async () => {
      const res = await fetch(`${server!.url}/api/v1/health`);
      await res.arrayBuffer();
      return res.status;
    });
    await server.stop();

    const paid = {
      ...summarizeLatencies(paidAfter),
      paid: paidAfter.length,
      payments,
      failures: callbacks.failures + (CALLBACKS - paidAfter.length),
    };
    const acknowledged = { ...summarizeLatencies(callbacks.latencies), failures: callbacks.failures };
    const b = summarizeLatencies(health.latencies);
    return report({
      name: 'webhook',
      description: `Xendit QRIS callbacks at ${RATE}/s for ${DURATION} s (open loop) against the fake Xendit: received → invoice paid`,
      scenarios: { received_to_paid: paid, callback_answered: acknowledged },
      baseline: {
        description: 'GET /health at the same rate on the same server',
        scenarios: { health: { ...b, failures: health.failures } },
      },
      ratios: { 'received_to_paid.p99_ms / health.p99_ms': ratio(paid.p99_ms, b.p99_ms) },
      budgets: [
        {
          figure: 'received_to_paid.p99_ms',
          text: 'gateway webhook → invoice paid p99 < 50 ms',
          measured: round(paid.p99_ms, 2),
          limit: 50,
          kind: 'max',
        },
        {
          figure: 'failures',
          text: `${RATE} callbacks/s, every one answered and paid once`,
          measured: paid.failures,
          limit: 0,
          kind: 'max',
        },
        { figure: 'payments', text: 'one payment per paid charge', measured: Math.abs(payments - CALLBACKS), limit: 0, kind: 'max' },
      ],
      parameters: { rate: RATE, duration_s: DURATION, units: UNITS, poll_ms: POLL_MS },
    });
  } finally {
    await server?.stop();
    await db.close();
    await fake.close();
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
