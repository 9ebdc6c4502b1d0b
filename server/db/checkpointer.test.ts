import { mkdtempSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './knex.ts';

const dirs: string[] = [];
const dbs: Database[] = [];

afterEach(async () => {
  for (const db of dbs.splice(0)) await db.close();
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

async function fill(db: Database, megabytes: number): Promise<void> {
  await db.knex.schema.createTable('blobs', (t) => {
    t.increments('id');
    t.text('body');
  });
  const body = 'x'.repeat(1000);
  for (let i = 0; i < megabytes * 10; i++) {
    await db.knex.transaction(async (trx) => {
      for (let j = 0; j < 100; j++) await trx('blobs').insert({ body });
    });
  }
}

function open(backgroundCheckpoint: boolean): Database {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-ckpt-'));
  dirs.push(dir);
  const db = openDatabase({ dataDir: dir, backgroundCheckpoint });
  dbs.push(db);
  return db;
}

async function waitFor(check: () => boolean, ms: number): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (check()) return true;
    await new Promise((r) => setTimeout(r, 50));
  }
  return check();
}

describe('background checkpoints', () => {
  it('copies the log into the database file from the worker, not inside commits', async () => {
    const db = open(true);
    await fill(db, 4);
    // 4 MB of rows: under the connection's own safety-net threshold (80 MB), so only the worker can have copied them.
    expect(await waitFor(() => statSync(db.file!).size > 3_500_000, 5000)).toBe(true);
    const [row] = await db.knex('blobs').count({ n: '*' });
    expect(Number(row.n)).toBe(4000);
  });

  it('leaves the copying to SQLite inside commits when it is off', async () => {
    const db = open(false);
    const mode = await db.knex.raw('pragma wal_autocheckpoint');
    expect(mode[0].wal_autocheckpoint).toBe(1000);
    const sync = await db.knex.raw('pragma synchronous');
    // FULL (2): without the worker nothing else would flush the log between checkpoints.
    expect(sync[0].synchronous).toBe(2);
  });

  it('runs the server connection with NORMAL sync and the safety-net threshold', async () => {
    const db = open(true);
    expect((await db.knex.raw('pragma synchronous'))[0].synchronous).toBe(1);
    expect((await db.knex.raw('pragma wal_autocheckpoint'))[0].wal_autocheckpoint).toBe(20_000);
  });
});
