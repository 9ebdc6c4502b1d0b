import { execFile, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { tryLockDataDir } from '../../server/db/data-dir-lock.ts';
import { openDatabase } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { setupEstate } from '../support/server.ts';

const run = promisify(execFile);
const BIN = path.resolve('bin/klustera.mjs');
const ENV = { ...process.env, KLUSTERA_DATA_DIR: '' };
const dirs: string[] = [];
const children: ChildProcess[] = [];
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-backup-'));
  dirs.push(d);
  return d;
}
function klustera(args: string[], timeout = 60_000) {
  return run(process.execPath, [BIN, ...args], { env: ENV, timeout });
}
afterAll(() => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}

/** A migrated database grown to `mb` megabytes with audit rows, so that copying it takes a noticeable while. */
async function databaseOf(mb: number): Promise<string> {
  const dataDir = tempDir();
  const db = openDatabase({ dataDir });
  await migrateToLatest(db);
  await db.close();
  const raw = new Database(path.join(dataDir, 'klustera.sqlite'));
  const insert = raw.prepare(
    "insert into audit_log (id, action, entity_table, entity_id, after, created_at) values (?, 'unit.update', 'units', ?, ?, '2025-01-01T00:00:00.000Z')",
  );
  const after = JSON.stringify({ notes: 'x'.repeat(1900) });
  raw.transaction(() => {
    for (let i = 0; i < mb * 500; i++) insert.run(`ballast-${i}`, `unit-${i}`, after);
  })();
  raw.pragma('wal_checkpoint(TRUNCATE)');
  raw.close();
  return dataDir;
}

/** `klustera serve` as a child process, resolved on its ready line. */
function serve(dataDir: string): Promise<{ child: ChildProcess; url: string; port: number; output: () => string }> {
  const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    env: ENV,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let output = '';
  return new Promise((resolve, reject) => {
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const line = output.split('\n').find((l) => l.startsWith('KLUSTERA_READY '));
      if (line) resolve({ child, ...JSON.parse(line.slice('KLUSTERA_READY '.length)), output: () => output });
    });
    child.once('exit', (code) => reject(Object.assign(new Error(`serve exited with ${code}: ${output}`), { code, output })));
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

const partials = (dir: string) => fs.readdirSync(dir).filter((f) => f.endsWith('.klustera-partial'));

describe('klustera backup', () => {
  it('finishes while the server records 20 payments a second, and holds every payment acknowledged before it began', async () => {
    const dataDir = await databaseOf(60);
    const server = await serve(dataDir);
    try {
      const { client: admin, estateId } = await setupEstate(server.url);
      const unit = await admin.post(`/estates/${estateId}/units`, { code: 'A-1', type: 'rumah', occupancy: 'occupied' });
      const acknowledged: string[] = [];
      let failures = 0;
      const pay = async () => {
        const res = await admin.post(`/estates/${estateId}/payments`, {
          unit_id: unit.body.id,
          amount: 150000,
          method: 'cash',
          paid_at: new Date().toISOString(),
        });
        if (res.status === 201) acknowledged.push(res.body.id);
        else failures++;
      };
      const writer = setInterval(() => void pay().catch(() => failures++), 50);
      try {
        for (const deadline = Date.now() + 30_000; acknowledged.length < 10 && Date.now() < deadline; )
          await new Promise((r) => setTimeout(r, 50));
        const before = [...acknowledged];
        expect(before.length).toBeGreaterThanOrEqual(10);
        const target = path.join(tempDir(), 'cadangan.sqlite');
        const started = acknowledged.length;
        const out = await klustera(['backup', target, '--data-dir', dataDir], 45_000);
        expect(out.stdout).toContain('Backup written');
        // The server really was writing while the copy was made.
        expect(acknowledged.length - started).toBeGreaterThan(5);
        expect(count(target, "select count(*) n from pragma_quick_check where quick_check = 'ok'")).toBe(1);
        const db = new Database(target, { readonly: true });
        try {
          const present = db.prepare('select count(*) n from payments where id = ?');
          expect(before.filter((id) => (present.get(id) as { n: number }).n === 1)).toEqual(before);
          expect((db.prepare("select count(*) n from audit_log where id like 'ballast-%'").get() as { n: number }).n).toBe(30_000);
        } finally {
          db.close();
        }
        expect(partials(path.dirname(target))).toEqual([]);
      } finally {
        clearInterval(writer);
      }
      expect(failures).toBe(0);
    } finally {
      server.child.kill('SIGTERM');
      await exited(server.child);
    }
  }, 120_000);

  it('killed with -9 midway leaves nothing at the final name, and the next backup clears what it left', async () => {
    const dataDir = await databaseOf(60);
    const folder = tempDir();
    const target = path.join(folder, 'cadangan.sqlite');
    const child = spawn(process.execPath, [BIN, 'backup', target, '--data-dir', dataDir], { env: ENV, stdio: 'ignore' });
    children.push(child);
    const deadline = Date.now() + 45_000;
    while (partials(folder).length === 0 && !fs.existsSync(target) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 1));
    child.kill('SIGKILL');
    await exited(child);
    expect(fs.existsSync(target)).toBe(false);
    expect(partials(folder)).toHaveLength(1);

    const again = await klustera(['backup', target, '--data-dir', dataDir]);
    expect(again.stdout).toContain('Backup written');
    expect(partials(folder)).toEqual([]);
    expect(count(target, "select count(*) n from audit_log where id like 'ballast-%'")).toBe(30_000);
  });
});

describe('klustera restore and a running server', () => {
  async function demoWithBackup() {
    const dataDir = tempDir();
    await klustera(['seed-demo', '--data-dir', dataDir]);
    const backup = path.join(tempDir(), 'cadangan.sqlite');
    await klustera(['backup', backup, '--data-dir', dataDir]);
    const db = new Database(path.join(dataDir, 'klustera.sqlite'));
    db.prepare("delete from unit_occupancies where unit_id in (select id from units where code='A-1')").run();
    db.prepare("delete from units where code = 'A-1'").run();
    db.close();
    return { dataDir, backup, units: () => count(path.join(dataDir, 'klustera.sqlite'), 'select count(*) n from units') };
  }

  it('is refused while a server uses the data folder, naming its pid and port, and changes nothing; works once it stops', async () => {
    const { dataDir, backup, units } = await demoWithBackup();
    const server = await serve(dataDir);
    const refused = await klustera(['restore', backup, '--data-dir', dataDir]).catch((err) => err);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`pid ${server.child.pid}`);
    expect(refused.stderr).toContain(`port ${server.port}`);
    expect(refused.stderr).toContain('Stop the server first');
    expect(units()).toBe(149);
    expect(
      fs.existsSync(path.join(dataDir, 'backups')) &&
        fs.readdirSync(path.join(dataDir, 'backups')).some((f) => f.startsWith('klustera-before-restore-')),
    ).toBe(false);
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);

    server.child.kill('SIGTERM');
    await exited(server.child);
    const restored = await klustera(['restore', backup, '--data-dir', dataDir]);
    expect(restored.stdout).toContain('previous database was kept');
    expect(units()).toBe(150);
  });

  it('is not blocked by a server killed with -9, whose lock record it outlives', async () => {
    const { dataDir, backup, units } = await demoWithBackup();
    const server = await serve(dataDir);
    server.child.kill('SIGKILL');
    await exited(server.child);
    const leftover = JSON.parse(fs.readFileSync(path.join(dataDir, 'klustera.lock.json'), 'utf8'));
    expect(leftover).toMatchObject({ purpose: 'server', pid: server.child.pid });

    const restored = await klustera(['restore', backup, '--data-dir', dataDir]);
    expect(restored.stdout).toContain('Restored from');
    expect(units()).toBe(150);
    expect(fs.existsSync(path.join(dataDir, 'klustera.lock.json'))).toBe(false);
  });

  it('a server started during a restore waits for it to end; a second server on the same folder is refused', async () => {
    const dataDir = tempDir();
    await klustera(['migrate', '--data-dir', dataDir]);
    const warmStarted = Date.now();
    const warm = await serve(dataDir);
    const startupMs = Date.now() - warmStarted;
    warm.child.kill('SIGTERM');
    await exited(warm.child);

    const restoring = tryLockDataDir(dataDir, 'restore')!;
    expect(restoring).not.toBeNull();
    let ready = false;
    const starting = serve(dataDir).then((s) => {
      ready = true;
      return s;
    });
    await new Promise((resolve) => setTimeout(resolve, 2000 + 2 * startupMs));
    expect(ready).toBe(false);
    restoring.release();
    const server = await starting;
    expect((await fetch(`${server.url}/api/v1/health`)).status).toBe(200);

    const second = await serve(dataDir).catch((err) => err);
    expect(second.code).toBe(1);
    expect(second.output).toContain(`pid ${server.child.pid}`);
    expect(second.output).toContain('already using the database');
    server.child.kill('SIGTERM');
    await exited(server.child);
  });
});
