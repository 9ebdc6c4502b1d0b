// A server must not run on a database migrated by a newer Klustera: it would misread tables it does not know.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrateToLatest, UnknownMigrationsError } from '../../server/db/migrate.ts';
import { startServer } from '../../server/start.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

const ROOT = path.resolve(import.meta.dirname, '../..');
const FUTURE = '29991231235959_from_a_newer_version';

describe.each(BACKENDS)('server start on $name with an unknown migration', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
    await migrateToLatest(opened.db);
    await opened.db.knex('knex_migrations').insert({ name: FUTURE, batch: 99, migration_time: new Date() });
    await opened.db.close();
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('startServer rejects with UnknownMigrationsError naming the migration', async () => {
    const attempt = startServer({ dataDir: opened.dataDir, databaseUrl: opened.databaseUrl, port: 0, backgroundJobs: false });
    await expect(attempt).rejects.toBeInstanceOf(UnknownMigrationsError);
    await expect(attempt).rejects.toMatchObject({ names: [FUTURE] });
  });

  it('`klustera serve` exits with an error and never reports ready', () => {
    const args = [path.join(ROOT, 'bin/klustera.mjs'), 'serve', '--port', '0', '--data-dir', opened.dataDir];
    if (opened.databaseUrl) args.push('--database-url', opened.databaseUrl);
    const result = spawnSync(process.execPath, args, { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(result.signal).toBeNull();
    expect(result.status).not.toBe(0);
    expect(result.stdout).not.toContain('KLUSTERA_READY');
    expect(`${result.stdout}${result.stderr}`).toContain(FUTURE);
  });

  it('starts normally once the unknown migration is gone', async () => {
    const db = opened.reopen();
    await db.knex('knex_migrations').where({ name: FUTURE }).delete();
    await db.close();
    const server = await startServer({ dataDir: opened.dataDir, databaseUrl: opened.databaseUrl, port: 0, backgroundJobs: false });
    try {
      const response = await fetch(`${server.url}/api/v1/health`);
      expect(response.status).toBe(200);
    } finally {
      await server.close();
    }
  });
});
