import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sqliteFile } from '../config.ts';

/** Online backup through SQLite's backup API: safe while the server is running and writing. */
export async function backupDatabase(dataDir: string, target: string): Promise<{ file: string; bytes: number }> {
  const source = sqliteFile(dataDir);
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  fs.mkdirSync(path.dirname(target), { recursive: true });
  const db = new Database(source, { readonly: true, fileMustExist: true });
  try {
    await db.backup(target);
  } finally {
    db.close();
  }
  return { file: target, bytes: fs.statSync(target).size };
}

function assertKlusteraBackup(file: string): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    const check = db.pragma('integrity_check', { simple: true });
    if (check !== 'ok') throw new Error(`integrity check failed: ${check}`);
    const hasTables = db.prepare("select count(*) as n from sqlite_master where type='table' and name in ('knex_migrations','estates')").get() as { n: number };
    if (hasTables.n !== 2) throw new Error('not a Klustera database');
  } catch (err) {
    throw new Error(`${file} is not a usable Klustera backup: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

/**
 * Replaces the database with a backup. Stop the server first. The current file is kept beside it so a wrong
 * restore can itself be undone.
 */
export async function restoreDatabase(dataDir: string, backupFile: string): Promise<{ previous: string }> {
  assertKlusteraBackup(backupFile);
  const target = sqliteFile(dataDir);
  fs.mkdirSync(dataDir, { recursive: true });
  const previous = path.join(dataDir, 'backups', `klustera-before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
  if (fs.existsSync(target)) await backupDatabase(dataDir, previous);
  for (const suffix of ['-wal', '-shm']) fs.rmSync(target + suffix, { force: true });
  const src = new Database(backupFile, { readonly: true, fileMustExist: true });
  try {
    await src.backup(target);
  } finally {
    src.close();
  }
  return { previous };
}
