// The product side of the payment benchmarks, the same on SQLite and PostgreSQL: units billed for two months, the
// real server, then POST payments and GET /health at one steady rate (open loop). Each benchmark brings its own raw
// baseline, measured after the server has stopped.
import { rmSync } from 'node:fs';
import type { Period } from '../../server/calendar/calendar.ts';
import { openDatabase } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { runBilling } from '../../server/ledger/billing-run.ts';
import { createFeeType } from '../../server/ledger/fee-service.ts';
import { openLoop } from './open-loop.ts';
import { bearerToken, seedEstate } from './seed-estate.ts';
import { type ServerProcess, spawnServer } from './server-process.ts';
import { summarizeLatencies } from './stats.ts';

/** The amount of the i-th payment, so a raw baseline can write the same ones. */
export const paymentAmount = (i: number) => 100_000 + (i % 5) * 50_000;

export async function measurePayments<B>(opts: {
  units: number;
  rate: number;
  durationSeconds: number;
  databaseUrl?: string;
  /** Runs once the months are billed, before the server starts. */
  beforeServer?: () => Promise<unknown>;
  baseline: (input: { estateId: string; unitIds: string[]; total: number }) => B | Promise<B>;
}) {
  const seeded = await seedEstate(opts.units, { databaseUrl: opts.databaseUrl });
  let server: ServerProcess | undefined;
  try {
    const db = openDatabase({ dataDir: seeded.dataDir, databaseUrl: opts.databaseUrl });
    const unitIds = await (async () => {
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
      return ((await store.live('units').select('id')) as Array<{ id: string }>).map((u) => u.id);
    })().finally(() => db.close());
    await opts.beforeServer?.();

    const running = await spawnServer(seeded.dataDir, opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {});
    server = running;
    const token = await bearerToken(running.url);
    const headers = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
    const total = opts.rate * opts.durationSeconds;
    const paymentsUrl = `${running.url}/api/v1/estates/${seeded.estateId}/payments`;
    const pay = async (i: number) => {
      const res = await fetch(paymentsUrl, {
        method: 'POST',
        headers: { ...headers, 'idempotency-key': `bench-${i}` },
        body: JSON.stringify({
          unit_id: unitIds[i % unitIds.length],
          amount: paymentAmount(i),
          method: i % 3 ? 'cash' : 'bank_transfer',
          paid_at: new Date().toISOString(),
        }),
      });
      await res.arrayBuffer();
      return res.status;
    };
    const health = async () => {
      const res = await fetch(`${running.url}/api/v1/health`);
      await res.arrayBuffer();
      return res.status;
    };
    await openLoop(opts.rate, Math.min(200, total), (i) => pay(total + i)); // warm-up, distinct keys
    const product = await openLoop(opts.rate, total, pay);
    const healthRun = await openLoop(opts.rate, total, health);
    await running.stop();
    const baseline = await opts.baseline({ estateId: seeded.estateId, unitIds, total });
    return {
      baseline,
      product: { ...summarizeLatencies(product.latencies), requests: product.latencies.length, failures: product.failures },
      health: { ...summarizeLatencies(healthRun.latencies), requests: healthRun.latencies.length, failures: healthRun.failures },
    };
  } finally {
    await server?.stop();
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}
