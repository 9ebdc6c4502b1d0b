import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openDatabase, type Database } from './knex.ts';

let db: Database | null = null;
let dir = '';
afterEach(async () => {
  await db?.close();
  rmSync(dir, { recursive: true, force: true });
});

const pragma = async (name: string) => {
  const rows = (await db!.knex.raw(`pragma ${name}`)) as Array<Record<string, unknown>>;
  return Object.values(rows[0] ?? {})[0];
};

it('the embedded database connection reads through a memory map and a page cache big enough for a gate’s indexes', async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-conn-'));
  db = openDatabase({ dataDir: dir });
  expect(await pragma('journal_mode')).toBe('wal');
  expect(await pragma('foreign_keys')).toBe(1);
  expect(await pragma('mmap_size')).toBe(256 * 1024 * 1024);
  // Negative: KiB rather than pages.
  expect(await pragma('cache_size')).toBe(-32 * 1024);
});
