import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * The write-ahead log's housekeeping, on a worker thread with its own connection so no request waits for it:
 *
 * - Every `intervalMs` (100 ms) it flushes the log to disk if anything was committed since the last flush. With
 *   `synchronous = NORMAL` SQLite itself would only flush at checkpoints, which at an office's pace can be hours
 *   apart; this bounds what a power cut can take to the last tenth of a second, without an fsync inside every
 *   payment's COMMIT (see knex.ts for the `full` setting that has one).
 * - Past `thresholdBytes` of log it copies the log back into the database file (PASSIVE: never blocks the writer
 *   or readers). SQLite's automatic checkpoint runs inside whichever COMMIT crosses its threshold: on a gate post
 *   that was one scan in fifty paying ~10 ms. The main connection keeps a far higher automatic threshold only as a
 *   safety net.
 */
export const BACKGROUND_CHECKPOINT_BYTES = 2 * 1024 * 1024;
export const SAFETY_NET_PAGES = 20_000;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const fs = require('node:fs');
const Database = require(workerData.driver);
const db = new Database(workerData.file);
db.pragma('busy_timeout = 0');
const wal = workerData.file + '-wal';
let stopped = false;
let fd = null;
let ino = 0;
let lastStamp = '';
function flushLog(st) {
  const stamp = st.mtimeMs + ':' + st.size + ':' + st.ino;
  if (stamp === lastStamp) return;
  if (fd === null || ino !== st.ino) {
    if (fd !== null) fs.closeSync(fd);
    fd = fs.openSync(wal, 'r');
    ino = st.ino;
  }
  fs.fdatasyncSync(fd);
  lastStamp = stamp;
}
parentPort.on('message', (m) => {
  if (m === 'stop') {
    stopped = true;
    clearInterval(timer);
    try { const st = fs.statSync(wal); flushLog(st); } catch {}
    if (fd !== null) fs.closeSync(fd);
    db.close();
    parentPort.close();
  }
});
const timer = setInterval(() => {
  if (stopped) return;
  let st;
  try { st = fs.statSync(wal); } catch { return; }
  try { flushLog(st); } catch { fd = null; lastStamp = ''; }
  if (st.size < workerData.thresholdBytes) return;
  try { db.pragma('wal_checkpoint(PASSIVE)'); } catch { /* busy: try again on the next tick */ }
}, workerData.intervalMs);
`;

export interface Checkpointer {
  stop(): Promise<void>;
}

export function startCheckpointer(file: string, opts: { thresholdBytes?: number; intervalMs?: number } = {}): Checkpointer {
  const driver = createRequire(import.meta.url).resolve('better-sqlite3');
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    workerData: { file, driver, thresholdBytes: opts.thresholdBytes ?? BACKGROUND_CHECKPOINT_BYTES, intervalMs: opts.intervalMs ?? 100 },
  });
  worker.unref();
  return {
    stop: () =>
      new Promise<void>((resolve) => {
        worker.once('exit', () => resolve());
        worker.postMessage('stop');
        setTimeout(() => void worker.terminate(), 2000).unref();
      }),
  };
}
