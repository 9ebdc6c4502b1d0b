import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';

/**
 * Who may change the SQLite file in a data folder: one server, or one restore, never both.
 *
 * The lock is an exclusive SQLite transaction held open on `klustera.lock`, so it lives exactly as long as the
 * holder's file descriptor: the operating system drops it when the holder exits, is killed with -9 or the machine
 * loses power. A pid file alone would outlive a crash, and after a reboot its pid may belong to an unrelated process.
 * SQLite's own locks on the database cannot answer the question either: an idle server connection holds none.
 * `klustera.lock.json` only says who the holder is, for the message; the lock itself is the truth.
 */
export type LockPurpose = 'server' | 'restore';

export interface LockHolder {
  purpose: LockPurpose;
  pid: number;
  hostname: string;
  since: string;
  url?: string;
  port?: number;
}

export interface DataDirLock {
  readonly holder: LockHolder;
  /** Records where the server listens once it knows its port, so a refused restore can name it. */
  describe(extra: { url?: string; port?: number }): void;
  release(): void;
}

export class DataDirBusyError extends Error {
  readonly code = 'DATA_DIR_BUSY';
  constructor(
    readonly dataDir: string,
    readonly holder: LockHolder | null,
    wanted: LockPurpose,
  ) {
    super(busyMessage(dataDir, holder, wanted));
  }
}

export function lockFiles(dataDir: string) {
  return { lock: path.join(dataDir, 'klustera.lock'), info: path.join(dataDir, 'klustera.lock.json') };
}

function describeHolder(holder: LockHolder | null): string {
  if (!holder) return 'another Klustera process';
  const where = [`pid ${holder.pid}`];
  if (holder.hostname && holder.hostname !== os.hostname()) where.push(`on ${holder.hostname}`);
  if (holder.port) where.push(`port ${holder.port}`);
  if (holder.url) where.push(holder.url);
  return `${holder.purpose === 'restore' ? 'a restore' : 'a Klustera server'} (${where.join(', ')})`;
}

function busyMessage(dataDir: string, holder: LockHolder | null, wanted: LockPurpose): string {
  const who = describeHolder(holder);
  if (wanted === 'restore') {
    return (
      `${who} is using the database in ${dataDir}. Stop the server first (Ctrl+C in its terminal, ` +
      '`systemctl stop klustera`, or quit the desktop app), then run the restore again. Nothing was changed.'
    );
  }
  if (holder?.purpose === 'restore') return `${who} is still replacing the database in ${dataDir}; start the server when it has finished.`;
  return `${who} is already using the database in ${dataDir}. Stop it first, or give this server another --data-dir.`;
}

/** The recorded holder, or null when the file is missing or half-written (the holder is still writing it). */
export function readLockHolder(dataDir: string): LockHolder | null {
  try {
    const parsed = JSON.parse(fs.readFileSync(lockFiles(dataDir).info, 'utf8')) as Partial<LockHolder>;
    if (typeof parsed.pid !== 'number' || (parsed.purpose !== 'server' && parsed.purpose !== 'restore')) return null;
    return parsed as LockHolder;
  } catch {
    return null;
  }
}

/** Whether a process with this id runs on this machine (one we may not signal still counts). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The holder's record, unless it was left by a dead process and the lock has just changed hands. */
function liveHolder(dataDir: string): LockHolder | null {
  const holder = readLockHolder(dataDir);
  if (holder && holder.hostname === os.hostname() && !isAlive(holder.pid)) return null;
  return holder;
}

function writeHolder(file: string, holder: LockHolder): void {
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, `${JSON.stringify(holder)}\n`);
  fs.renameSync(tmp, file);
}

function openExclusive(file: string): Database.Database | null {
  for (let attempt = 0; ; attempt++) {
    const db = new Database(file, { timeout: 0 });
    try {
      db.exec('BEGIN EXCLUSIVE');
      return db;
    } catch (err) {
      db.close();
      const code = (err as { code?: string }).code;
      if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') return null;
      // Something overwrote the lock file with bytes that are not a database: it holds no lock, start it afresh.
      if (code === 'SQLITE_NOTADB' && attempt === 0) {
        fs.writeFileSync(file, '');
        continue;
      }
      throw err;
    }
  }
}

/** A lock file first created by `sudo klustera restore` must stay writable by the account the server runs as. */
function handToFolderOwner(dataDir: string, file: string): void {
  if (process.getuid?.() !== 0) return;
  const folder = fs.statSync(dataDir);
  fs.chownSync(file, folder.uid, folder.gid);
}

/** Takes the data folder's lock at once, or returns null when a live process holds it. */
export function tryLockDataDir(dataDir: string, purpose: LockPurpose): DataDirLock | null {
  fs.mkdirSync(dataDir, { recursive: true });
  const files = lockFiles(dataDir);
  const db = openExclusive(files.lock);
  if (!db) return null;
  handToFolderOwner(dataDir, files.lock);
  const holder: LockHolder = { purpose, pid: process.pid, hostname: os.hostname(), since: new Date().toISOString() };
  let released = false;
  try {
    writeHolder(files.info, holder);
  } catch (err) {
    db.close();
    throw err;
  }
  return {
    holder,
    describe(extra) {
      Object.assign(holder, extra);
      if (!released) writeHolder(files.info, holder);
    },
    release() {
      if (released) return;
      released = true;
      // Only the lock's holder writes the info file, so while we hold it the file is ours to remove.
      fs.rmSync(files.info, { force: true });
      db.close();
    },
  };
}

/**
 * Takes the lock for `purpose`. A restore in progress (or a holder that has not yet said who it is) is waited for
 * up to `waitMs`; a server is never waited for, since it would not go away by itself.
 */
export async function lockDataDir(dataDir: string, purpose: LockPurpose, opts: { waitMs?: number } = {}): Promise<DataDirLock> {
  const deadline = Date.now() + (opts.waitMs ?? 0);
  for (;;) {
    const lock = tryLockDataDir(dataDir, purpose);
    if (lock) return lock;
    const holder = liveHolder(dataDir);
    if (holder?.purpose === 'server' || Date.now() >= deadline) throw new DataDirBusyError(dataDir, holder, purpose);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
