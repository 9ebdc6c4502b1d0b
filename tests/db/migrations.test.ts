// Migrations run unchanged on SQLite and PostgreSQL, roll back cleanly, and protect existing data.
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../server/db/knex.ts';
import { MIGRATIONS_DIR, migrateToLatest, migrationStatus, rollbackAll, UnknownMigrationsError } from '../../server/db/migrate.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

const MIGRATION_NAMES = readdirSync(MIGRATIONS_DIR)
  .filter((file) => /^\d{14}_[\w-]+\.ts$/.test(file) && !file.includes('.test.'))
  .sort()
  .map((file) => file.replace(/\.ts$/, ''));

const KNEX_TABLES = ['knex_migrations', 'knex_migrations_lock'];

async function tableNames(knex: Knex, dialect: Dialect): Promise<string[]> {
  if (dialect === 'sqlite') {
    const rows = await knex.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'");
    return (rows as { name: string }[]).map((r) => r.name).sort();
  }
  const result = await knex.raw('select table_name from information_schema.tables where table_schema = current_schema()');
  return (result.rows as { table_name: string }[]).map((r) => r.table_name).sort();
}

describe.each(BACKENDS)('migrations on $name', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('has migrations to test', () => {
    expect(MIGRATION_NAMES.length).toBeGreaterThan(0);
  });

  it('applies every migration, in order, on an empty database', async () => {
    const result = await migrateToLatest(opened.db);
    expect(result.applied).toEqual(MIGRATION_NAMES);
    const status = await migrationStatus(opened.db);
    expect(status).toEqual({ completed: MIGRATION_NAMES, pending: [], unknown: [] });
    const tables = await tableNames(opened.db.knex, opened.db.dialect);
    for (const table of ['estates', 'units', 'residents', 'audit_log', 'outbox']) expect(tables).toContain(table);
  });

  it('does nothing when run again', async () => {
    await migrateToLatest(opened.db);
    const again = await migrateToLatest(opened.db);
    expect(again.applied).toEqual([]);
    expect(again.backupFile).toBeUndefined();
  });

  it('rolls every migration back, leaving only the migration bookkeeping, and applies them again', async () => {
    await migrateToLatest(opened.db);
    await rollbackAll(opened.db);
    expect(await tableNames(opened.db.knex, opened.db.dialect)).toEqual(KNEX_TABLES);
    expect((await migrationStatus(opened.db)).completed).toEqual([]);
    const reapplied = await migrateToLatest(opened.db);
    expect(reapplied.applied).toEqual(MIGRATION_NAMES);
  });

  it('refuses a database that has a migration this build does not know, and changes nothing', async () => {
    await migrateToLatest(opened.db);
    await opened.db.knex('knex_migrations').insert({ name: '29991231235959_from_a_newer_version', batch: 99, migration_time: new Date() });
    const tablesBefore = await tableNames(opened.db.knex, opened.db.dialect);
    const attempt = migrateToLatest(opened.db);
    await expect(attempt).rejects.toBeInstanceOf(UnknownMigrationsError);
    await expect(attempt).rejects.toMatchObject({ names: ['29991231235959_from_a_newer_version'] });
    expect(await tableNames(opened.db.knex, opened.db.dialect)).toEqual(tablesBefore);
  });
});

describe('SQLite backup before migrating', () => {
  let opened: OpenedBackend;
  let partialDir: string;
  beforeEach(async () => {
    opened = await BACKENDS.find((b) => b.name === 'sqlite')!.open();
    partialDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-migrations-'));
  });
  afterEach(async () => {
    await opened.dispose();
    rmSync(partialDir, { recursive: true, force: true });
  });

  it('makes no backup of a brand-new database', async () => {
    const result = await migrateToLatest(opened.db);
    expect(result.backupFile).toBeUndefined();
    expect(existsSync(path.join(opened.dataDir, 'backups'))).toBe(false);
  });

  it('copies a database that already has migrations aside before applying new ones', async () => {
    expect(MIGRATION_NAMES.length).toBeGreaterThan(1);
    const [first] = MIGRATION_NAMES;
    copyFileSync(path.join(MIGRATIONS_DIR, `${first}.ts`), path.join(partialDir, `${first}.ts`));
    await migrateToLatest(opened.db, { dir: partialDir });
    await opened.db.knex('estates').insert({
      id: '01900000-0000-7000-8000-000000000001',
      name: 'Griya Asri',
      timezone: 'Asia/Jakarta',
      settings: '{}',
      created_at: '2026-01-01T00:00:00.000Z',
      updated_at: '2026-01-01T00:00:00.000Z',
    });

    const result = await migrateToLatest(opened.db);
    expect(result.applied).toEqual(MIGRATION_NAMES.slice(1));
    expect(result.backupFile).toBeDefined();
    expect(path.dirname(result.backupFile!)).toBe(path.join(opened.dataDir, 'backups'));

    const backup = new BetterSqlite3(result.backupFile!, { readonly: true });
    try {
      const migrations = backup.prepare('select name from knex_migrations').all() as { name: string }[];
      expect(migrations.map((m) => m.name.replace(/\.ts$/, ''))).toEqual([first]);
      expect(backup.prepare('select name from estates').all()).toEqual([{ name: 'Griya Asri' }]);
    } finally {
      backup.close();
    }
  });
});
