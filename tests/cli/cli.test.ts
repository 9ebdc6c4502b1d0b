import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';

const run = promisify(execFile);
const BIN = path.resolve('bin/klustera.mjs');
const dirs: string[] = [];
function tempDir() {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-cli-'));
  dirs.push(d);
  return d;
}
async function klustera(...args: string[]) {
  return run(process.execPath, [BIN, ...args], { env: { ...process.env, KLUSTERA_DATA_DIR: '' }, timeout: 60_000 });
}
function count(dir: string, sql: string): number {
  const db = new Database(path.join(dir, 'klustera.sqlite'), { readonly: true });
  try {
    return (db.prepare(sql).get() as { n: number }).n;
  } finally {
    db.close();
  }
}
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe('klustera CLI', () => {
  it('migrate creates the schema, and says so only once', async () => {
    const dir = tempDir();
    expect((await klustera('migrate', '--data-dir', dir)).stdout).toContain('Applied: 20261121000001_foundation');
    expect((await klustera('migrate', '--data-dir', dir)).stdout).toContain('Already up to date');
  });

  it('seed-demo builds a realistic estate: 150 units in blocks A–F, rumah and ruko, owners and tenants with +62 phones', async () => {
    const dir = tempDir();
    const out = await klustera('seed-demo', '--data-dir', dir);
    expect(out.stdout).toMatch(/150 units/);
    expect(count(dir, 'select count(*) n from units')).toBe(150);
    expect(count(dir, 'select count(distinct block) n from units')).toBe(6);
    expect(count(dir, "select count(*) n from units where type='ruko'")).toBeGreaterThan(0);
    expect(count(dir, "select count(*) n from unit_occupancies where relation='tenant'")).toBeGreaterThan(0);
    expect(count(dir, "select count(*) n from residents where phone not like '+62%'")).toBe(0);
    expect(count(dir, 'select count(*) n from audit_log')).toBeGreaterThan(150);
  });

  it('create-admin makes an administrator who can then be used; refuses a duplicate', async () => {
    const dir = tempDir();
    const out = await klustera(
      'create-admin',
      '--data-dir',
      dir,
      '--name',
      'Pak RT',
      '--phone',
      '0812-9999-0000',
      '--password',
      'rahasia-rt-1',
      '--estate',
      'Perumahan Melati',
    );
    expect(out.stdout).toContain('+6281299990000');
    expect(count(dir, "select count(*) n from memberships where role='estate_admin'")).toBe(1);
    await expect(
      klustera('create-admin', '--data-dir', dir, '--name', 'Lagi', '--phone', '081299990000', '--password', 'rahasia-rt-1'),
    ).rejects.toMatchObject({ code: 1 });
  });

  it('backup makes an online copy and restore brings it back, keeping the replaced file', async () => {
    const dir = tempDir();
    await klustera('seed-demo', '--data-dir', dir);
    const backup = path.join(tempDir(), 'cadangan.sqlite');
    expect((await klustera('backup', backup, '--data-dir', dir)).stdout).toContain('Backup written');
    const db = new Database(path.join(dir, 'klustera.sqlite'));
    db.prepare("delete from unit_occupancies where unit_id in (select id from units where code='A-1')").run();
    db.prepare("delete from units where code = 'A-1'").run();
    db.close();
    expect(count(dir, 'select count(*) n from units')).toBe(149);
    const restored = await klustera('restore', backup, '--data-dir', dir);
    expect(restored.stdout).toContain('previous database was kept');
    expect(count(dir, 'select count(*) n from units')).toBe(150);
    expect(fs.readdirSync(path.join(dir, 'backups')).some((f) => f.startsWith('klustera-before-restore-'))).toBe(true);
  });

  it('restore refuses a file that is not a Klustera database', async () => {
    const dir = tempDir();
    await klustera('migrate', '--data-dir', dir);
    const junk = path.join(tempDir(), 'bukan.sqlite');
    fs.writeFileSync(junk, 'ini bukan database');
    await expect(klustera('restore', junk, '--data-dir', dir)).rejects.toMatchObject({ code: 1 });
  });

  it('refuses to serve a database migrated by a newer version', async () => {
    const dir = tempDir();
    await klustera('migrate', '--data-dir', dir);
    const db = new Database(path.join(dir, 'klustera.sqlite'));
    db.prepare(
      "insert into knex_migrations (name, batch, migration_time) values ('29991231000000_from_the_future', 9, datetime('now'))",
    ).run();
    db.close();
    const err = await klustera('serve', '--port', '0', '--data-dir', dir).catch((e) => e);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('29991231000000_from_the_future');
  });

  it('stops, saying why, when its sync clock cannot start, instead of hanging with the database open', async () => {
    const dir = tempDir();
    await klustera('migrate', '--data-dir', dir);
    const db = new Database(path.join(dir, 'klustera.sqlite'));
    // The clock starts past the newest outbox stamp; a stamp in another format stops the start.
    db.pragma('foreign_keys = OFF');
    db.prepare(
      "insert into outbox (id, estate_id, table_name, row_id, op, hlc, site_id, created_at) values ('o1', 'e1', 'units', 'u1', 'insert', '1764900000000-00000-elsewhere', 'elsewhere', '2026-12-01T00:00:00.000Z')",
    ).run();
    db.close();
    const started = Date.now();
    const err = await klustera('serve', '--port', '0', '--data-dir', dir).catch((e) => e);
    expect(err.killed, 'the server kept running after its start failed').toBe(false);
    expect(err.code).toBe(1);
    expect(err.stderr).toContain('not an HLC timestamp');
    expect(Date.now() - started).toBeLessThan(30_000);
  });
});

describe('release bundle for packaging', () => {
  it('compiles the server and every migration, and migrates a database from the compiled files', async () => {
    // @ts-expect-error plain ESM module without types
    const { buildReleaseBundle } = await import('../../bin/server-bundle.mjs');
    const entry: string = await buildReleaseBundle();
    const compiled = fs.readdirSync(path.join(path.dirname(entry), 'migrations')).map((f) => f.replace(/\.mjs$/, ''));
    const sources = fs
      .readdirSync('migrations')
      .filter((f) => /^\d{14}_.*\.ts$/.test(f))
      .map((f) => f.replace(/\.ts$/, ''));
    expect(compiled.sort()).toEqual(sources.sort());
    const dir = tempDir();
    const migrated = await run(
      process.execPath,
      [
        '-e',
        `import(${JSON.stringify(entry)}).then(async (m) => process.exit(await m.main(['migrate', '--data-dir', ${JSON.stringify(dir)}])))`,
      ],
      { timeout: 60_000 },
    );
    expect(migrated.stdout).toContain(`Applied: ${sources.sort()[0]}`);
    expect(count(dir, 'select count(*) n from knex_migrations')).toBe(sources.length);
  });
});
