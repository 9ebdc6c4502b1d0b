// Gate scan → verdict over HTTP on PostgreSQL: the same 100,000 passes, 1,000,000 access-log rows, kiosks and scans
// as gate-scan.bench.ts, with the real server (`klustera serve`) on an embedded PostgreSQL (lib/postgres.ts).
// Baseline, same run: what a scan does in the database, done by hand with a pg Pool from this process — the shift of
// the kiosk and the pass by id, then in one transaction the use counted, the visit opened, the access-log row and
// the audit and outbox rows — plus GET /health over HTTP. DESIGN.md's gate budget (p99 < 10 ms, one kiosk) names no
// database, so it holds here too.
import pg from 'pg';
import { newId } from '../server/db/ids.ts';
import { LOG_COLUMNS, logRow, PASS_COLUMNS, passRow, type SeededPass } from './lib/gate-load.ts';
import { gateScanBudgets, measureGateScans } from './lib/gate-scan-run.ts';
import { withPostgres } from './lib/postgres.ts';
import { ratio, report } from './lib/report.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const PASSES = Number(process.env.BENCH_PASSES ?? 100_000);
const LOG_ROWS = Number(process.env.BENCH_LOG_ROWS ?? 1_000_000);
const SCANS = Number(process.env.BENCH_SCANS ?? 3_000);

/** Column types for `unnest`: one array parameter per column, so a batch of 20,000 rows is one statement. */
const PASS_TYPES: Record<(typeof PASS_COLUMNS)[number], string> = {
  id: 'text',
  estate_id: 'text',
  kind: 'text',
  unit_id: 'text',
  name: 'text',
  plate: 'text',
  purpose: 'text',
  valid_from: 'text',
  valid_until: 'text',
  max_uses: 'int',
  code: 'text',
  created_at: 'text',
  updated_at: 'text',
};
const LOG_TYPES: Record<(typeof LOG_COLUMNS)[number], string> = {
  id: 'text',
  estate_id: 'text',
  occurred_at: 'text',
  direction: 'text',
  verdict: 'text',
  reason: 'text',
  gate_id: 'text',
  person_name: 'text',
  unit_id: 'text',
  plate: 'text',
  created_at: 'text',
};

async function insertUnnest(
  client: pg.ClientBase,
  sql: (columns: string) => string,
  types: Record<string, string>,
  rows: unknown[][],
): Promise<void> {
  const names = Object.keys(types);
  const columns = names.map((_, c) => rows.map((r) => r[c]));
  await client.query(sql(names.map((n, c) => `$${c + 1}::${types[n]}[]`).join(', ')), columns);
}

/** Passes and access-log history written straight into the database: the volume, not the write path, matters here. */
async function seedGateVolume(client: pg.ClientBase, estateId: string, unitIds: string[], gateId: string): Promise<SeededPass[]> {
  const now = Date.now();
  const BATCH = 20_000;
  const passes: SeededPass[] = [];
  const passSql = (arrays: string) => `insert into passes (${PASS_COLUMNS.join(', ')}, people, uses, created_via)
    select *, 1, 0, 'office' from unnest(${arrays})`;
  const logSql = (
    arrays: string,
  ) => `insert into gate_access_log (${LOG_COLUMNS.join(', ')}, method, gate_name, guard_name, pass_kind, purpose)
    select *, 'qr', 'Gerbang Utama', 'Pak Bench', 'guest', 'Berkunjung' from unnest(${arrays})`;
  await client.query('begin');
  for (let start = 0; start < PASSES; start += BATCH) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(PASSES, start + BATCH); i++) {
      const { values, usable } = passRow(i, estateId, unitIds, now);
      rows.push(values);
      if (usable) passes.push(usable);
    }
    await insertUnnest(client, passSql, PASS_TYPES, rows);
  }
  for (let start = 0; start < LOG_ROWS; start += BATCH) {
    const rows: unknown[][] = [];
    for (let i = start; i < Math.min(LOG_ROWS, start + BATCH); i++) rows.push(logRow(i, LOG_ROWS, PASSES, estateId, unitIds, gateId, now));
    await insertUnnest(client, logSql, LOG_TYPES, rows);
  }
  await client.query('commit');
  // A database that grew to this size over a year has its statistics; a bulk load right now has none yet.
  await client.query('analyze');
  return passes;
}

/** A scan's database work without the application, one at a time like one kiosk. */
async function rawScans(pool: pg.Pool, estateId: string, passes: SeededPass[], scans: number): Promise<number[]> {
  const {
    rows: [shift],
  } = await pool.query<{ device_id: string }>(
    'select device_id from gate_shifts where estate_id = $1 and ended_at is null and device_id is not null limit 1',
    [estateId],
  );
  const multiUse = passes.filter((p) => !p.singleUse);
  const samples: number[] = [];
  for (let n = 0; n < scans + 300; n++) {
    const passId = multiUse[(n * 7919) % multiUse.length].id;
    const t0 = performance.now();
    const at = new Date().toISOString();
    const client = await pool.connect();
    try {
      const {
        rows: [onShift],
      } = await client.query<{ gate_id: string; gate_name: string; guard_id: string; guard_name: string }>(
        `select gate_shifts.id, gate_shifts.started_at, gates.id as gate_id, gates.name as gate_name, gates.printer, gate_guards.id as guard_id,
           gate_guards.name as guard_name from gate_shifts join gates on gates.id = gate_shifts.gate_id join gate_guards on gate_guards.id = gate_shifts.guard_id
         where gate_shifts.estate_id = $1 and gate_shifts.device_id = $2 and gate_shifts.ended_at is null limit 1`,
        [estateId, shift.device_id],
      );
      const {
        rows: [pass],
      } = await client.query<{
        id: string;
        kind: string;
        unit_id: string;
        unit_code: string;
        name: string;
        plate: string | null;
        purpose: string;
      }>(
        'select passes.*, units.code as unit_code from passes left join units on units.id = passes.unit_id where passes.estate_id = $1 and passes.id = $2 limit 1',
        [estateId, passId],
      );
      await client.query('begin');
      await client.query(
        `update passes set uses = uses + 1, updated_at = $1 where estate_id = $2 and id = $3 and revoked_at is null and deleted_at is null
           and valid_from <= $4 and valid_until > $4 and (max_uses is null or uses < max_uses) returning id`,
        [at, estateId, pass.id, at],
      );
      const visitId = newId();
      await client.query(
        `insert into gate_visits (id, kind, pass_id, unit_id, name, phone, plate, purpose, people, id_card_left, entered_at, expected_until,
           entry_gate_id, exited_at, exit_gate_id, estate_id, created_at, updated_at)
         values ($1, $2, $3, $4, $5, null, $6, $7, 1, false, $8, null, $9, null, null, $10, $8, $8)`,
        [
          visitId,
          pass.kind === 'resident' ? 'guest' : pass.kind,
          pass.id,
          pass.unit_id,
          pass.name,
          pass.plate,
          pass.purpose,
          at,
          onShift.gate_id,
          estateId,
        ],
      );
      const logId = newId();
      await client.query(
        `insert into gate_access_log (id, created_at, occurred_at, direction, verdict, reason, method, pass_id, pass_kind, visit_id, person_name,
           unit_id, unit_code, plate, purpose, gate_id, gate_name, guard_id, guard_name, device_id, estate_id)
         values ($1, $2, $2, 'in', 'accepted', null, 'qr', $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
        [
          logId,
          at,
          pass.id,
          pass.kind,
          visitId,
          pass.name,
          pass.unit_id,
          pass.unit_code,
          pass.plate,
          pass.purpose,
          onShift.gate_id,
          onShift.gate_name,
          onShift.guard_id,
          onShift.guard_name,
          shift.device_id,
          estateId,
        ],
      );
      const changed: Array<[string, string, string]> = [
        ['passes', pass.id, 'update'],
        ['gate_visits', visitId, 'insert'],
        ['gate_access_log', logId, 'insert'],
      ];
      await client.query(
        `insert into audit_log (id, estate_id, actor_user_id, actor_role, actor_device_id, action, entity_table, entity_id, before, after, created_at) values
         ${changed.map((_, k) => `($${k * 5 + 1}, $${k * 5 + 2}, null, 'device', $${k * 5 + 3}, 'gate.scan', $${k * 5 + 4}, $${k * 5 + 5}, null, '{}', '${at}')`).join(', ')}`,
        changed.flatMap(([table, id]) => [newId(), estateId, shift.device_id, table, id]),
      );
      await client.query(
        `insert into outbox (id, estate_id, table_name, row_id, op, hlc, site_id, created_at) values
         ${changed.map((_, k) => `($${k * 5 + 1}, $${k * 5 + 2}, $${k * 5 + 3}, $${k * 5 + 4}, $${k * 5 + 5}, '${at}-0000', 'bench', '${at}')`).join(', ')}`,
        changed.flatMap(([table, id, op]) => [newId(), estateId, table, id, op]),
      );
      await client.query('commit');
    } catch (err) {
      await client.query('rollback').catch(() => {});
      throw err;
    } finally {
      client.release();
    }
    if (n >= 300) samples.push(performance.now() - t0); // the first 300 warm up, as for the HTTP scans
  }
  return samples;
}

async function main(): Promise<number> {
  return withPostgres(async ({ url }) => {
    process.stdout.write(`seeding ${UNITS} units, ${PASSES} passes, ${LOG_ROWS} access-log rows on PostgreSQL…\n`);
    const pool = new pg.Pool({ connectionString: url, max: 10 });
    // An idle client hears PostgreSQL shut down at the end; without a listener that error would end the process
    // before the data dir is removed.
    pool.on('error', (err) => process.stderr.write(`[bench] idle pg client: ${err.message}\n`));
    try {
      const m = await measureGateScans({
        units: UNITS,
        scans: SCANS,
        databaseUrl: url,
        seedVolume: async ({ estateId, unitIds, gateId }) => {
          const seedClient = await pool.connect();
          return seedGateVolume(seedClient, estateId, unitIds, gateId).finally(() => seedClient.release());
        },
        baseline: async ({ estateId, passes }) => summarizeLatencies(await rawScans(pool, estateId, passes, SCANS)),
      });
      const {
        rows: [{ server_version: version }],
      } = await pool.query<{ server_version: string }>('show server_version');
      const { single: s, four: f, health: h, baseline: r } = m;
      return report({
        name: 'gate-scan-postgres',
        description: `POST gate/scan with a kiosk device token on PostgreSQL ${version}, ${PASSES} passes, ${LOG_ROWS} access-log rows`,
        scenarios: { one_kiosk: m.oneKiosk, four_kiosks: { ...f } },
        baseline: {
          description:
            "a scan's queries and writes by hand through a pg Pool (shift, pass, one transaction: use, visit, log, audit, outbox); GET /health over HTTP",
          scenarios: { raw_pg_scan: { ...r }, http_health: { ...h } },
        },
        ratios: {
          'one_kiosk.p50_ms / raw_pg_scan.p50_ms': ratio(s.p50_ms, r.p50_ms),
          'one_kiosk.p99_ms / raw_pg_scan.p99_ms': ratio(s.p99_ms, r.p99_ms),
          'one_kiosk.p50_ms / http_health.p50_ms': ratio(s.p50_ms, h.p50_ms),
          'one_kiosk.p99_ms / http_health.p99_ms': ratio(s.p99_ms, h.p99_ms),
        },
        budgets: gateScanBudgets(s.p99_ms, m.failures),
        reportOnly: [
          { figure: 'four_kiosks.p99_ms', text: 'four kiosks at once (DESIGN.md: a goal, p99 < 10 ms)', measured: round(f.p99_ms, 2) },
        ],
        parameters: {
          database: `PostgreSQL ${version}`,
          units: UNITS,
          passes: PASSES,
          access_log_rows: LOG_ROWS,
          scans: SCANS,
          gate_seed_s: m.seedSeconds,
        },
      });
    } finally {
      await pool.end();
    }
  });
}

process.exitCode = await main();
