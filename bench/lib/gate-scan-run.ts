// The product side of the gate-scan benchmarks, the same on SQLite and PostgreSQL: an estate with two gates, the
// backend's own bulk seed of passes and access-log history, the real server, kiosks on shift, then the scans. Each
// benchmark brings its own seed and raw baseline, measured after the server has stopped.
import { rmSync } from 'node:fs';
import { openDatabase } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { loadSyncContext } from '../../server/db/sync-context.ts';
import { estateKeys } from '../../server/passes/signing-keys.ts';
import { kiosksOnShift, measureScans, type SeededPass } from './gate-load.ts';
import { bearerToken, seedEstate } from './seed-estate.ts';
import { type ServerProcess, spawnServer } from './server-process.ts';
import { round, summarizeLatencies } from './stats.ts';

export interface GateVolumeTarget {
  dataDir: string;
  estateId: string;
  unitIds: string[];
  gateId: string;
}

export async function measureGateScans<B>(opts: {
  units: number;
  scans: number;
  databaseUrl?: string;
  seedVolume: (target: GateVolumeTarget) => SeededPass[] | Promise<SeededPass[]>;
  baseline: (input: { dataDir: string; estateId: string; passes: SeededPass[] }) => B | Promise<B>;
}) {
  const seeded = await seedEstate(opts.units, { databaseUrl: opts.databaseUrl });
  let server: ServerProcess | undefined;
  try {
    const db = openDatabase({ dataDir: seeded.dataDir, databaseUrl: opts.databaseUrl });
    const setup = await (async () => {
      await migrateToLatest(db);
      const store = new ScopedStore(db.knex, seeded.estateId, SYSTEM_ACTOR, await loadSyncContext(db.knex));
      const keys = await estateKeys(store);
      const unitIds = ((await store.live('units').select('id')) as { id: string }[]).map((u) => u.id);
      const gate = await store.insert<{ id: string }>('gates', { name: 'Gerbang Utama', printer: null });
      const gate2 = await store.insert<{ id: string }>('gates', { name: 'Gerbang Belakang', printer: null });
      return { keys, unitIds, gates: [gate.id, gate2.id] };
    })().finally(() => db.close());
    const seedStarted = performance.now();
    const passes = await opts.seedVolume({
      dataDir: seeded.dataDir,
      estateId: seeded.estateId,
      unitIds: setup.unitIds,
      gateId: setup.gates[0],
    });
    const seedSeconds = round((performance.now() - seedStarted) / 1000, 1);

    server = await spawnServer(seeded.dataDir, opts.databaseUrl ? { DATABASE_URL: opts.databaseUrl } : {});
    const kiosks = await kiosksOnShift(server.url, seeded.estateId, await bearerToken(server.url), setup.gates);
    const figures = await measureScans({
      serverUrl: server.url,
      serverPid: server.pid,
      estateId: seeded.estateId,
      privateKeyPem: setup.keys.privateKeyPem,
      passes,
      kiosks,
      scans: opts.scans,
    });
    await server.stop();
    const baseline = await opts.baseline({ dataDir: seeded.dataDir, estateId: seeded.estateId, passes });
    const single = summarizeLatencies(figures.single);
    return {
      baseline,
      seedSeconds,
      single,
      four: summarizeLatencies(figures.four),
      health: summarizeLatencies(figures.health),
      /** The one-kiosk scenario as both reports print it. */
      oneKiosk: {
        ...single,
        server_cpu_ms_per_scan: figures.serverCpuPerScan,
        failures: figures.failures,
        ...Object.fromEntries(Object.entries(figures.verdicts).map(([k, v]) => [`verdict_${k}`, v])),
      },
      failures: figures.failures,
    };
  } finally {
    await server?.stop();
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

/** DESIGN.md's gate budget; it names no database, so both backends are held to it. */
export function gateScanBudgets(p99Ms: number, failures: number) {
  return [
    {
      figure: 'one_kiosk.p99_ms',
      text: 'gate scan → verdict over HTTP, 100k passes, 1M access-log rows: p99 < 10 ms',
      measured: round(p99Ms, 2),
      limit: 10,
      kind: 'max' as const,
    },
    { figure: 'failures', text: 'every scan answered with a verdict', measured: failures, limit: 0, kind: 'max' as const },
  ];
}
