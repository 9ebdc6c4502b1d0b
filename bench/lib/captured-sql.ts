// Raw baselines made of the product's own SQL: call the real service once per input with knex's query events
// recorded, then replay exactly those statements through better-sqlite3 in this process.
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { openDatabase } from '../../server/db/knex.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import type { Figures } from './report.ts';
import { round, summarizeLatencies } from './stats.ts';

export interface CapturedQuery {
  sql: string;
  bindings: unknown[];
}

export async function captureServiceSql<K, R>(
  dataDir: string,
  estateId: string,
  inputs: K[],
  call: (store: ScopedStore, input: K) => Promise<R>,
) {
  const database = openDatabase({ dataDir });
  // Without the connection handle, so hand-written statements (`estateRows`, `select`) go through knex's runner too,
  // whose query events record them; the direct path (server/db/sqlite-direct.ts) would run them unseen.
  const knex = database.knex.withUserParams({ klusteraDialect: 'sqlite' });
  const store = new ScopedStore(knex, estateId, SYSTEM_ACTOR, await loadSyncContext(database.knex));
  const captured = new Map<K, CapturedQuery[]>();
  const results = new Map<K, R>();
  let current: CapturedQuery[] = [];
  knex.on('query', (q: { sql: string; bindings?: unknown[] }) => current.push({ sql: q.sql, bindings: q.bindings ?? [] }));
  try {
    for (const input of inputs) {
      current = [];
      results.set(input, await call(store, input));
      captured.set(input, current);
    }
  } finally {
    await database.close();
  }
  const db = new BetterSqlite3(path.join(dataDir, 'klustera.sqlite'), { readonly: true });
  const prepared = new Map(
    [...captured].map(([input, list]) => [input, list.map((s) => ({ statement: db.prepare(s.sql), bindings: s.bindings }))]),
  );
  return {
    db,
    captured,
    results,
    /** Replays what the service ran for `input`; the number of rows read. */
    run(input: K): number {
      let rows = 0;
      for (const { statement, bindings } of prepared.get(input)!) rows += statement.all(...bindings).length;
      return rows;
    },
    close: () => db.close(),
  };
}

/** Calls `run(i)` back to back: half a second of warm-up, then up to three seconds measured. */
export function measureRawLoop(run: (i: number) => void, durationSeconds: number): Figures {
  const samples: number[] = [];
  const runFor = (seconds: number, keep: boolean) => {
    const until = process.hrtime.bigint() + BigInt(Math.round(seconds * 1e9));
    for (let i = 0; process.hrtime.bigint() < until; i++) {
      const start = process.hrtime.bigint();
      run(i);
      if (keep) samples.push(Number(process.hrtime.bigint() - start) / 1e6);
    }
  };
  runFor(0.5, false);
  const started = process.hrtime.bigint();
  runFor(Math.min(3, durationSeconds), true);
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  const latency = summarizeLatencies(samples);
  return { queries_per_s: round(samples.length / elapsed, 1), p50_ms: latency.p50_ms, p95_ms: latency.p95_ms, p99_ms: latency.p99_ms };
}
