import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import knexFactory, { type Knex } from 'knex';
import { sqliteFile } from '../config.ts';
import { DataDirBusyError, isAlive, readLockHolder, tryLockDataDir } from './data-dir-lock.ts';
import type { Database as OpenDatabase } from './knex.ts';
import { migrateToLatest } from './migrate.ts';

/**
 * Backups and restores of the SQLite file.
 *
 * A copy is made with `VACUUM INTO`: one read transaction that sees one snapshot, so it finishes however often the
 * server commits meanwhile (the stepwise backup API starts over after every commit by another process, and at
 * 20 payments a second it never finished). The copy is written under a temporary name beside its destination,
 * checked, flushed to disk and only then renamed: a file at the final name is always a complete, verified backup.
 */

const PARTIAL = /^\.(.+)\.(\d+)\.[0-9a-f]{8}\.klustera-partial$/;

function partialName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.klustera-partial`);
}

/** Removes copies left in `dir` by backups that were killed; those of a backup still running are left alone. */
export function removeStalePartials(dir: string): string[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const match = PARTIAL.exec(name);
    if (!match || (Number(match[2]) !== process.pid && isAlive(Number(match[2])))) continue;
    fs.rmSync(path.join(dir, name), { force: true });
    removed.push(name);
  }
  return removed;
}

function fsyncPath(p: string, flags: 'r' | 'r+'): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(p, flags);
    fs.fsyncSync(fd);
  } catch (err) {
    // Directories cannot be opened for fsync on Windows; the rename there is made durable by the file system.
    if (flags === 'r' && process.platform === 'win32') return;
    throw err;
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

type Check = 'quick_check' | 'integrity_check';

/**
 * Throws unless `file` is an intact SQLite database holding Klustera's schema; `check` null when the file's pages
 * were already checked (by the copying worker).
 */
export function assertKlusteraDatabase(file: string, check: Check | null = 'integrity_check'): void {
  let db: Database.Database | undefined;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
    if (check) {
      const result = db.pragma(check, { simple: true });
      if (result !== 'ok') throw new Error(`${check} failed: ${String(result)}`);
    }
    const tables = db
      .prepare("select count(*) as n from sqlite_master where type='table' and name in ('knex_migrations','estates')")
      .get() as { n: number };
    if (tables.n !== 2) throw new Error('not a Klustera database');
    const migrations = db.prepare('select count(*) as n from knex_migrations').get() as { n: number };
    if (migrations.n === 0) throw new Error('its schema was never migrated');
  } catch (err) {
    throw new Error(`${file} is not a usable Klustera backup: ${(err as Error).message}`);
  } finally {
    db?.close();
  }
}

// Copying and checking read every page of the database: seconds for a large one. They run on a worker thread with its
// own connections, so a server making its nightly backup keeps answering the gate meanwhile.
const COPY_WORKER = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
let stage = 'source';
try {
  const source = new Database(workerData.source, { readonly: true, fileMustExist: true });
  try { source.prepare('VACUUM INTO ?').run(workerData.partial); } finally { source.close(); }
  stage = 'copy';
  const copy = new Database(workerData.partial, { readonly: true, fileMustExist: true });
  let result;
  try { result = copy.pragma(workerData.check, { simple: true }); } finally { copy.close(); }
  parentPort.postMessage(result === 'ok' ? { ok: true } : { ok: false, stage, message: workerData.check + ' failed: ' + String(result) });
} catch (err) {
  parentPort.postMessage({ ok: false, stage, message: String((err && err.message) || err) });
}
`;

function copyAndCheckInWorker(source: string, partial: string, check: Check): Promise<void> {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  return new Promise((resolve, reject) => {
    const worker = new Worker(COPY_WORKER, { eval: true, workerData: { source, partial, check, driver } });
    let answered = false;
    worker.once('message', (m: { ok: boolean; stage?: 'source' | 'copy'; message?: string }) => {
      answered = true;
      if (m.ok) resolve();
      else reject(new Error(`${m.stage === 'copy' ? partial : source} is not a usable Klustera backup: ${m.message}`));
    });
    worker.once('error', (err) => {
      answered = true;
      reject(err);
    });
    worker.once('exit', (code) => {
      if (!answered) reject(new Error(`the backup worker stopped (exit code ${code})`));
    });
  });
}

/**
 * Writes a verified copy of `source` (any SQLite file, in WAL mode or not) to `target`, replacing it atomically.
 * `target`'s folder must be on one file system with it, which a name beside it guarantees.
 */
async function copyVerified(source: string, target: string, check: Check): Promise<void> {
  const dir = path.dirname(target);
  fs.mkdirSync(dir, { recursive: true });
  removeStalePartials(dir);
  const partial = partialName(target);
  // A backup holds password hashes, token hashes and gate signing keys: readable by its owner only, from the first
  // byte on (VACUUM INTO accepts an empty file that already exists).
  fs.writeFileSync(partial, '', { flag: 'wx', mode: 0o600 });
  try {
    await copyAndCheckInWorker(source, partial, check);
    assertKlusteraDatabase(partial, null);
    // SQLite does not flush a VACUUM INTO copy: without this a power cut could leave a renamed but empty file.
    fsyncPath(partial, 'r+');
    fs.renameSync(partial, target);
    fsyncPath(dir, 'r');
  } catch (err) {
    fs.rmSync(partial, { force: true });
    throw err;
  }
}

/** Online backup: safe while the server is running and writing. */
export async function backupDatabase(
  dataDir: string,
  target: string,
  check: Check = 'quick_check',
): Promise<{ file: string; bytes: number; seconds: number }> {
  const source = sqliteFile(dataDir);
  if (!fs.existsSync(source)) throw new Error(`no database at ${source}`);
  if (path.resolve(target) === path.resolve(source)) throw new Error('the backup cannot replace the database it copies');
  const started = performance.now();
  await copyVerified(source, target, check);
  return { file: target, bytes: fs.statSync(target).size, seconds: (performance.now() - started) / 1000 };
}

/** A copy of the current database that does not depend on it being readable (it may be why we restore). */
async function keepCurrent(dataDir: string, previous: string): Promise<void> {
  try {
    await copyVerified(sqliteFile(dataDir), previous, 'quick_check');
  } catch {
    fs.mkdirSync(path.dirname(previous), { recursive: true });
    for (const suffix of ['', '-wal']) {
      const file = sqliteFile(dataDir) + suffix;
      if (fs.existsSync(file)) fs.copyFileSync(file, previous + suffix);
    }
  }
}

/** Copies the write-ahead log into the file and removes it: an old log beside a new file would be replayed into it. */
function retireLog(file: string): void {
  try {
    const db = new Database(file, { fileMustExist: true, timeout: 5000 });
    try {
      db.pragma('wal_checkpoint(TRUNCATE)');
    } finally {
      db.close();
    }
  } catch {
    // An unreadable file was already kept byte for byte by keepCurrent.
  }
  for (const suffix of ['-wal', '-shm', '-journal']) fs.rmSync(file + suffix, { force: true });
}

/** The server's account must still be able to open the file when the restore was run by root (`sudo`). */
function keepOwnership(current: string, replacement: string): void {
  if (process.platform === 'win32') return;
  const st = fs.statSync(current);
  fs.chmodSync(replacement, st.mode & 0o777);
  if (process.getuid?.() === 0) fs.chownSync(replacement, st.uid, st.gid);
}

/**
 * Puts `incoming` (a checked database file in the data folder, so the rename stays on one file system) in place of
 * the database, keeping the current one in `backups/` under a name with the time. The caller holds the data folder:
 * the restore's lock, or the server that has closed every connection to the file (the office's restore).
 */
export async function replaceDatabaseFile(dataDir: string, incoming: string): Promise<{ previous: string | null }> {
  const target = sqliteFile(dataDir);
  let previous: string | null = null;
  if (fs.existsSync(target)) {
    keepOwnership(target, incoming);
    previous = path.join(dataDir, 'backups', `klustera-before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}.sqlite`);
    await keepCurrent(dataDir, previous);
    retireLog(target);
  }
  fs.renameSync(incoming, target);
  fsyncPath(dataDir, 'r');
  return { previous };
}

/** Copies `source` to `target` and checks every page of the copy: a file at `target` is always whole and checked. */
export function copyCheckedDatabase(source: string, target: string): Promise<void> {
  return copyVerified(source, target, 'integrity_check');
}

/**
 * Replaces the database with a backup. Refused while a server uses the data folder: it would keep acknowledging
 * payments into a file that is no longer the database. A server started meanwhile waits for the restore to end.
 * The current file is kept beside it so a wrong restore can itself be undone.
 */
export async function restoreDatabase(dataDir: string, backupFile: string): Promise<{ previous: string | null }> {
  const lock = tryLockDataDir(dataDir, 'restore');
  if (!lock) throw new DataDirBusyError(dataDir, readLockHolder(dataDir), 'restore');
  try {
    // Brought into the data folder and checked completely before anything there changes.
    const incoming = path.join(dataDir, 'klustera.sqlite.restoring');
    await copyVerified(backupFile, incoming, 'integrity_check');
    try {
      return await replaceDatabaseFile(dataDir, incoming);
    } finally {
      fs.rmSync(incoming, { force: true });
    }
  } finally {
    lock.release();
  }
}

/**
 * Brings a staged copy of a backup to this version's schema, the copy made before migrating going to `backupDir`;
 * the names of the migrations applied. A copy written by a newer version throws `UnknownMigrationsError` unchanged.
 */
export async function migrateCopy(db: OpenDatabase, backupDir: string): Promise<string[]> {
  return (await migrateToLatest(db, { backupDir })).applied;
}

/** Runs `read` on a read-only connection to a backup file: the scheduled backup checks its copy's cash books so. */
export async function readBackup<T>(file: string, read: (knex: Knex) => Promise<T>): Promise<T> {
  const knex = knexFactory({
    client: 'better-sqlite3',
    connection: { filename: file, options: { readonly: true } },
    useNullAsDefault: true,
  });
  try {
    return await read(knex);
  } finally {
    await knex.destroy();
  }
}
