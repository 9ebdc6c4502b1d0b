// `klustera backup` of a ~100 MB database while the real server records 20 payments a second over HTTP: does it
// finish, how long does it take (goal < 10 s), how large is the copy, and what does it cost the payments meanwhile.
// The estate is seeded through the services; years of paid invoices are then added with raw inserts into the real
// schema (invoices, lines, payments, allocations, audit and outbox rows) until the file reaches BENCH_DB_MB.
// Baselines in the same run: a plain file copy of the same database (the I/O floor), `klustera --help` (CLI start-up),
// and SQLite's stepwise backup API — the previous method — under the same load, given BENCH_STEPWISE_CAP_S to finish.
import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { newId } from '../server/db/ids.ts';
import { encodeHlc } from '../server/sync/hlc.ts';
import { report, ratio, ROOT_DIR } from './lib/report.ts';
import { bearerToken, seedEstate } from './lib/seed-estate.ts';
import { spawnServer } from './lib/server-process.ts';
import { round, summarizeLatencies } from './lib/stats.ts';

const UNITS = Number(process.env.BENCH_UNITS ?? 2_000);
const DB_MB = Number(process.env.BENCH_DB_MB ?? 100);
const RATE = Number(process.env.BENCH_RATE ?? 20);
const STEPWISE_CAP_S = Number(process.env.BENCH_STEPWISE_CAP_S ?? 30);
const BIN = path.join(ROOT_DIR, 'bin/klustera.mjs');

/** Paid history, month by month back from 2025-12, until the file holds `mb` megabytes. */
function growHistory(file: string, estateId: string, mb: number): { months: number; rows: number } {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  const units = (db.prepare('select id from units where estate_id = ? and deleted_at is null').all(estateId) as Array<{ id: string }>).map(
    (u) => u.id,
  );
  const insertInvoice = db.prepare(
    "insert into invoices (id, estate_id, unit_id, number, period, kind, identity_key, issue_date, due_date, total, created_at) values (?, ?, ?, ?, ?, 'dues', ?, ?, ?, ?, ?)",
  );
  const insertLine = db.prepare(
    "insert into invoice_lines (id, estate_id, invoice_id, description, quantity, unit_amount, amount, created_at) values (?, ?, ?, ?, '1', ?, ?, ?)",
  );
  const insertPayment = db.prepare(
    "insert into payments (id, estate_id, unit_id, number, amount, method, paid_at, reference, source, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, 'office', ?)",
  );
  const insertAllocation = db.prepare(
    "insert into payment_allocations (id, estate_id, unit_id, invoice_id, payment_id, amount, reason, created_at) values (?, ?, ?, ?, ?, ?, 'payment', ?)",
  );
  const insertAudit = db.prepare(
    "insert into audit_log (id, estate_id, actor_role, action, entity_table, entity_id, after, created_at) values (?, ?, 'treasurer', ?, ?, ?, ?, ?)",
  );
  const insertOutbox = db.prepare(
    "insert into outbox (id, estate_id, table_name, row_id, op, hlc, site_id, created_at, synced_at) values (?, ?, ?, ?, 'insert', ?, 'site-bench', ?, ?)",
  );
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  const sizeMb = () => ((db.pragma('page_count', { simple: true }) as number) * pageSize) / 2 ** 20;
  let months = 0;
  let rows = 0;
  for (let back = 0; sizeMb() < mb && back < 600; back++) {
    const year = 2025 - Math.floor(back / 12);
    const month = 12 - (back % 12);
    const period = `${year}-${String(month).padStart(2, '0')}`;
    const at = `${period}-05T02:00:00.000Z`;
    db.transaction(() => {
      units.forEach((unitId, n) => {
        const invoiceId = newId();
        const paymentId = newId();
        const total = 150_000 + (n % 4) * 25_000;
        const number = `INV/${year}/${String(month).padStart(2, '0')}/H${String(n + 1).padStart(5, '0')}`;
        insertInvoice.run(
          invoiceId,
          estateId,
          unitId,
          number,
          period,
          `dues:${unitId}:${period}`,
          `${period}-01`,
          `${period}-10`,
          total,
          at,
        );
        insertLine.run(newId(), estateId, invoiceId, `Iuran pengelolaan lingkungan ${period}`, total, total, at);
        insertPayment.run(
          paymentId,
          estateId,
          unitId,
          `PAYH${period.replace('-', '')}${String(n + 1).padStart(5, '0')}`,
          total,
          n % 3 ? 'cash' : 'bank_transfer',
          at,
          n % 3 ? null : `TRF-${period}-${n}`,
          at,
        );
        insertAllocation.run(newId(), estateId, unitId, invoiceId, paymentId, total, at);
        for (const [table, id, after] of [
          ['invoices', invoiceId, { number, total, period }],
          ['payments', paymentId, { amount: total, unit_id: unitId }],
        ] as const) {
          insertAudit.run(newId(), estateId, `${table}.create`, table, id, JSON.stringify(after), at);
          insertOutbox.run(newId(), estateId, table, id, encodeHlc({ millis: Date.parse(at), counter: 0 }, 'site-bench'), at, at);
        }
        rows += 8;
      });
    })();
    months++;
  }
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
  return { months, rows };
}

function timedRun(args: string[], timeoutS: number): Promise<{ seconds: number; code: number | null; output: string }> {
  const started = performance.now();
  const child = spawn(process.execPath, args, { cwd: ROOT_DIR, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const timer = setTimeout(() => child.kill('SIGKILL'), timeoutS * 1000);
  return new Promise((resolve) => {
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ seconds: (performance.now() - started) / 1000, code, output });
    });
  });
}

/** The previous backup method: SQLite's backup API in its default steps of 100 pages, given `capS` to finish. */
async function stepwiseBackup(
  source: string,
  target: string,
  capS: number,
): Promise<{ finished: boolean; seconds: number; restarts: number }> {
  const script = `
    const Database = require(${JSON.stringify(path.join(ROOT_DIR, 'node_modules/better-sqlite3'))});
    const db = new Database(${JSON.stringify(source)}, { readonly: true });
    let restarts = 0, last = Infinity;
    db.backup(${JSON.stringify(target)}, { progress: (p) => { if (p.remainingPages > last) restarts++; last = p.remainingPages; } })
      .then(() => { console.log('RESTARTS ' + restarts); process.exit(0); });
    setInterval(() => console.log('RESTARTS ' + restarts), 1000);`;
  const out = await timedRun(['-e', script], capS);
  const restarts = Number(/RESTARTS (\d+)\s*$/.exec(out.output.trim())?.[1] ?? 0);
  return { finished: out.code === 0, seconds: out.seconds, restarts };
}

interface Load {
  stop(): Promise<{ latencies: Array<{ at: number; ms: number }>; failures: number; acknowledged: string[] }>;
  acknowledgedSoFar(): number;
}

/** Open loop: a payment starts every 1/RATE s whether or not the previous one has answered. */
function paymentLoad(url: string, estateId: string, token: string, unitIds: string[]): Load {
  const latencies: Array<{ at: number; ms: number }> = [];
  const acknowledged: string[] = [];
  const pending: Promise<void>[] = [];
  let failures = 0;
  let i = 0;
  const timer = setInterval(() => {
    const n = i++;
    const t0 = performance.now();
    pending.push(
      fetch(`${url}/api/v1/estates/${estateId}/payments`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'idempotency-key': `backup-bench-${n}` },
        body: JSON.stringify({ unit_id: unitIds[n % unitIds.length], amount: 150_000, method: 'cash', paid_at: new Date().toISOString() }),
      }).then(
        async (res) => {
          const body = (await res.json()) as { id?: string };
          if (res.status === 201 && body.id) {
            acknowledged.push(body.id);
            latencies.push({ at: t0, ms: performance.now() - t0 });
          } else failures++;
        },
        () => void failures++,
      ),
    );
  }, 1000 / RATE);
  return {
    acknowledgedSoFar: () => acknowledged.length,
    async stop() {
      clearInterval(timer);
      await Promise.all(pending);
      return { latencies, failures, acknowledged };
    },
  };
}

async function main(): Promise<number> {
  process.stdout.write(`seeding ${UNITS} units, then paid history up to ${DB_MB} MB…\n`);
  const seeded = await seedEstate(UNITS);
  const file = path.join(seeded.dataDir, 'klustera.sqlite');
  const seedStarted = performance.now();
  const history = growHistory(file, seeded.estateId, DB_MB);
  const dbBytes = statSync(file).size;
  process.stdout.write(
    `database ${round(dbBytes / 2 ** 20, 1)} MB (${history.months} months, ${history.rows} history rows in ${round((performance.now() - seedStarted) / 1000, 1)} s)\n`,
  );
  const out = mkdtempSync(path.join(os.tmpdir(), 'klustera-bench-backup-'));
  const unitIds = (() => {
    const db = new Database(file, { readonly: true });
    try {
      return (db.prepare('select id from units where deleted_at is null').all() as Array<{ id: string }>).map((u) => u.id);
    } finally {
      db.close();
    }
  })();

  const copyStarted = performance.now();
  copyFileSync(file, path.join(out, 'plain-copy.sqlite'));
  const plainCopyS = (performance.now() - copyStarted) / 1000;
  rmSync(path.join(out, 'plain-copy.sqlite'));
  const help = await timedRun([BIN, '--help'], 60);

  const server = await spawnServer(seeded.dataDir);
  try {
    const token = await bearerToken(server.url);
    const load = paymentLoad(server.url, seeded.estateId, token, unitIds);
    await new Promise((resolve) => setTimeout(resolve, 3000));
    const ackedBefore = load.acknowledgedSoFar();
    const target = path.join(out, 'cadangan.sqlite');
    const backupStarted = performance.now();
    const backup = await timedRun([BIN, 'backup', target, '--data-dir', seeded.dataDir], 120);
    const backupEnded = performance.now();
    const finished = backup.code === 0 && backup.output.includes('Backup written');
    if (!finished) process.stdout.write(`backup did not finish:\n${backup.output}\n`);
    const ackedDuring = load.acknowledgedSoFar() - ackedBefore;
    const stepwise = await stepwiseBackup(file, path.join(out, 'stepwise.sqlite'), STEPWISE_CAP_S);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    const result = await load.stop();

    let backupBytes = 0;
    let holdsAcknowledged = false;
    if (finished) {
      backupBytes = statSync(target).size;
      const copy = new Database(target, { readonly: true });
      try {
        const present = copy.prepare('select count(*) n from payments where id = ?');
        holdsAcknowledged = result.acknowledged.slice(0, ackedBefore).every((id) => (present.get(id) as { n: number }).n === 1);
      } finally {
        copy.close();
      }
    }
    const during = summarizeLatencies(result.latencies.filter((l) => l.at >= backupStarted && l.at <= backupEnded).map((l) => l.ms));
    const outside = summarizeLatencies(result.latencies.filter((l) => l.at < backupStarted || l.at > backupEnded).map((l) => l.ms));
    const backupS = round(backup.seconds, 2);
    const copyS = Number(/in ([\d.]+) s\)/.exec(backup.output)?.[1] ?? Number.NaN);
    return report({
      name: 'backup',
      description: `klustera backup of a ${round(dbBytes / 2 ** 20, 0)} MB database while the server records ${RATE} payments/s over HTTP`,
      scenarios: {
        backup: {
          finished,
          cli_s: backupS,
          copy_and_check_s: copyS,
          backup_mb: round(backupBytes / 2 ** 20, 1),
          database_mb: round(dbBytes / 2 ** 20, 1),
          holds_every_payment_acknowledged_before: holdsAcknowledged,
          payments_during: ackedDuring,
        },
        payments_during_backup: { p50_ms: during.p50_ms, p99_ms: during.p99_ms, max_ms: during.max_ms, failures: result.failures },
        payments_outside_backup: { p50_ms: outside.p50_ms, p99_ms: outside.p99_ms, max_ms: outside.max_ms },
      },
      baseline: {
        description:
          'plain file copy of the same database (I/O floor); `klustera --help` (CLI start-up); the stepwise backup API (previous method) under the same load',
        scenarios: {
          plain_copy: { seconds: round(plainCopyS, 2) },
          cli_startup: { seconds: round(help.seconds, 2) },
          stepwise_backup_api: {
            finished: stepwise.finished,
            seconds: round(stepwise.seconds, 1),
            cap_s: STEPWISE_CAP_S,
            restarts: stepwise.restarts,
          },
        },
      },
      ratios: {
        'backup.cli_s_vs_plain_copy_plus_startup': ratio(backupS, plainCopyS + help.seconds),
        'backup.copy_and_check_s_vs_plain_copy': ratio(copyS, plainCopyS),
        'payments.p99_during_vs_outside': ratio(during.p99_ms, outside.p99_ms),
      },
      budgets: [
        {
          figure: 'backup.finished',
          text: '`klustera backup` of a 100 MB database under 20 payments/s finishes',
          measured: finished ? 1 : 0,
          limit: 1,
          kind: 'min',
        },
        { figure: 'backup.cli_s', text: 'goal < 10 s', measured: backupS, limit: 10, kind: 'max' },
        {
          figure: 'backup.holds_acknowledged',
          text: 'the copy holds every payment acknowledged before it began',
          measured: holdsAcknowledged ? 1 : 0,
          limit: 1,
          kind: 'min',
        },
      ],
      parameters: {
        units: UNITS,
        target_db_mb: DB_MB,
        rate: RATE,
        history_months: history.months,
        history_rows: history.rows,
        stepwise_cap_s: STEPWISE_CAP_S,
      },
    });
  } finally {
    await server.stop();
    rmSync(out, { recursive: true, force: true });
    rmSync(seeded.dataDir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
