import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Knex } from 'knex';
import type { Database } from './knex.ts';
import { secureEstateTables } from './row-security.ts';

import { MIGRATIONS_DIR } from '../paths.ts';

export { MIGRATIONS_DIR };

interface MigrationModule {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

export class UnknownMigrationsError extends Error {
  readonly code = 'UNKNOWN_MIGRATIONS';
  constructor(readonly names: string[]) {
    super(
      `The database was migrated by a newer Klustera (unknown migrations: ${names.join(', ')}). ` +
        'Refusing to start: install that version again or restore a backup made before the upgrade.',
    );
  }
}

function migrationFiles(dir: string): string[] {
  return fs
    .readdirSync(dir)
    .filter((f) => /^\d{14}_[\w-]+\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts') && !f.includes('.test.'))
    .sort();
}

/** Names are stored without extension so a compiled (.js) build and the source (.ts) agree. */
function nameOf(file: string): string {
  return file.replace(/\.(ts|js|mjs)$/, '');
}

function migrationSource(dir: string): Knex.MigrationSource<string> {
  return {
    getMigrations: async () => migrationFiles(dir),
    getMigrationName: (file) => nameOf(file),
    getMigration: async (file) => (await import(pathToFileURL(path.join(dir, file)).href)) as MigrationModule,
  };
}

export interface MigrationStatus {
  completed: string[];
  pending: string[];
  unknown: string[];
}

export async function migrationStatus(db: Database, dir = MIGRATIONS_DIR): Promise<MigrationStatus> {
  const known = migrationFiles(dir).map(nameOf);
  const hasTable = await db.knex.schema.hasTable('knex_migrations');
  const completed: string[] = hasTable
    ? (await db.knex('knex_migrations').select('name').orderBy('id')).map((r: { name: string }) => nameOf(r.name))
    : [];
  return {
    completed,
    pending: known.filter((n) => !completed.includes(n)),
    unknown: completed.filter((n) => !known.includes(n)),
  };
}

export interface MigrateResult extends MigrationStatus {
  applied: string[];
  backupFile?: string;
}

/**
 * Brings the schema up to date. Refuses a database that knows migrations this build does not (a downgraded app),
 * and copies an existing SQLite file aside before changing it so a failed upgrade can be undone by hand.
 */
export async function migrateToLatest(db: Database, opts: { dir?: string; backupDir?: string } = {}): Promise<MigrateResult> {
  const dir = opts.dir ?? MIGRATIONS_DIR;
  const status = await migrationStatus(db, dir);
  if (status.unknown.length) throw new UnknownMigrationsError(status.unknown);
  let backupFile: string | undefined;
  if (db.dialect === 'sqlite' && db.file && status.pending.length && status.completed.length) {
    const backupDir = opts.backupDir ?? path.join(path.dirname(db.file), 'backups');
    fs.mkdirSync(backupDir, { recursive: true });
    const stamp = new Date().toISOString().replace(/[:.]/g, '-');
    backupFile = path.join(backupDir, `klustera-before-${status.pending[0]}-${stamp}.sqlite`);
    await db.knex.raw('VACUUM INTO ?', [backupFile]);
  }
  const [, applied] = (await db.knex.migrate.latest({ migrationSource: migrationSource(dir) })) as [number, string[]];
  await secureEstateTables(db.knex);
  return { ...status, applied: applied.map(nameOf), backupFile };
}

export async function rollbackAll(db: Database, dir = MIGRATIONS_DIR): Promise<void> {
  await db.knex.migrate.rollback({ migrationSource: migrationSource(dir) }, true);
}
