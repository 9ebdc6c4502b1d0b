// Gate scan → verdict over HTTP against the DESIGN.md budget (p99 < 10 ms) with 100,000 passes and 1,000,000
// access-log rows, the way a paired kiosk on shift calls it: one scan at a time (a guard post), then four kiosks at
// once. Scans are QR payloads of random passes: mostly usable multi-use passes (accepted: use counted, visit opened,
// host notified, log + audit + outbox rows), some single-use passes that get used up, some forged payloads.
// Baseline, same run: the pass lookup by id through raw better-sqlite3 in this process, and GET /health over HTTP.
import BetterSqlite3 from 'better-sqlite3';
import { sqliteFile } from '../server/config.ts';
import { logRow, passRow, type SeededPass } from './lib/gate-load.ts';
import { gateScanBudgets, measureGateScans } from './lib/gate-scan-run.ts';
import { ratio, report } from './lib/report.ts';
import { summarizeLatencies, timeSync } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const PASSES = Number(process.env.BENCH_PASSES ?? 100_000);
const LOG_ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000);
const SCANS = Number(process.env.BENCH_SCANS ?? 3_000);

/** Passes and access-log history written straight into the file: the volume, not the write path, is what matters here. */
function seedGateVolume(file: string, estateId: string, unitIds: string[], gateId: string): SeededPass[] {
  const db = new BetterSqlite3(file);
  db.pragma('journal_mode = WAL');
  const now = Date.now();
  const insertPass = db.prepare(`insert into passes (id, estate_id, kind, unit_id, resident_id, name, phone, plate, purpose, people,
    valid_from, valid_until, max_uses, uses, code, created_via, created_by, revoked_at, revoked_reason, created_at, updated_at, deleted_at)
    values (?, ?, ?, ?, null, ?, null, ?, ?, 1, ?, ?, ?, 0, ?, 'office', null, null, null, ?, ?, null)`);
  const passes: SeededPass[] = [];
  db.transaction(() => {
    for (let i = 0; i < PASSES; i++) {
      const { values, usable } = passRow(i, estateId, unitIds, now);
      insertPass.run(...values);
      if (usable) passes.push(usable);
    }
  })();
  const insertLog =
    db.prepare(`insert into gate_access_log (id, estate_id, occurred_at, direction, verdict, reason, method, gate_id, gate_name,
    guard_id, guard_name, device_id, pass_id, pass_kind, visit_id, person_name, unit_id, unit_code, plate, purpose, created_at)
    values (?, ?, ?, ?, ?, ?, 'qr', ?, 'Gerbang Utama', null, 'Pak Bench', null, null, 'guest', null, ?, ?, null, ?, 'Berkunjung', ?)`);
  const BATCH = 100_000;
  for (let start = 0; start < LOG_ROWS; start += BATCH) {
    db.transaction(() => {
      for (let i = start; i < Math.min(LOG_ROWS, start + BATCH); i++)
        insertLog.run(...logRow(i, LOG_ROWS, PASSES, estateId, unitIds, gateId, now));
    })();
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return passes;
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units, ${PASSES} passes, ${LOG_ROWS} access-log rows…\n`);
  const m = await measureGateScans({
    units: UNITS,
    scans: SCANS,
    seedVolume: ({ dataDir, estateId, unitIds, gateId }) => seedGateVolume(sqliteFile(dataDir), estateId, unitIds, gateId),
    // Raw baseline: the pass row by id, prepared statement, same file, same process as the load generator.
    baseline: ({ dataDir, estateId, passes }) => {
      const raw = new BetterSqlite3(sqliteFile(dataDir), { readonly: true });
      const byId = raw.prepare('select * from passes where id = ? and estate_id = ?');
      let r = 0;
      const samples = timeSync(() => byId.get(passes[(r++ * 7919) % passes.length].id, estateId), SCANS);
      raw.close();
      return summarizeLatencies(samples);
    },
  });
  const { single: s, four: f, health: h, baseline: l } = m;
  return report({
    name: 'gate-scan',
    description: `POST gate/scan with a kiosk device token, ${PASSES} passes, ${LOG_ROWS} access-log rows`,
    scenarios: { one_kiosk: m.oneKiosk, four_kiosks: { ...f } },
    baseline: {
      description: 'pass lookup by id via raw better-sqlite3 (prepared, in-process); GET /health over HTTP',
      scenarios: { raw_pass_lookup: { ...l }, http_health: { ...h } },
    },
    ratios: {
      'one_kiosk.p50_ms / raw_lookup.p50_ms': ratio(s.p50_ms, l.p50_ms),
      'one_kiosk.p99_ms / raw_lookup.p99_ms': ratio(s.p99_ms, l.p99_ms),
      'one_kiosk.p50_ms / http_health.p50_ms': ratio(s.p50_ms, h.p50_ms),
      'one_kiosk.p99_ms / http_health.p99_ms': ratio(s.p99_ms, h.p99_ms),
    },
    budgets: gateScanBudgets(s.p99_ms, m.failures),
    parameters: { units: UNITS, passes: PASSES, access_log_rows: LOG_ROWS, scans: SCANS, gate_seed_s: m.seedSeconds },
  });
}

process.exitCode = await main();
