import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import knexFactory from 'knex';
import { afterEach, describe, expect, it } from 'vitest';
import { toErrorResponse } from './errors.ts';

const dirs: string[] = [];
function tempFile(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-errors-'));
  dirs.push(dir);
  return path.join(dir, 'db.sqlite');
}
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

describe('a database that cannot take the request in time', () => {
  it('answers 503 SERVER_BUSY with Retry-After when every pooled connection stays busy', async () => {
    const knex = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: tempFile() },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
      acquireConnectionTimeout: 100,
    });
    try {
      let caught: unknown;
      await knex.transaction(async (trx) => {
        await trx.raw('select 1');
        // The only connection is this transaction's, so a query outside it waits for the pool and gives up.
        caught = await knex.raw('select 1').then(
          () => undefined,
          (err: unknown) => err,
        );
      });
      expect((caught as Error)?.name).toBe('KnexTimeoutError');
      const answer = toErrorResponse(caught);
      expect(answer).toMatchObject({ status: 503, unexpected: false, retryAfterSeconds: 2 });
      expect(answer.body.error.code).toBe('SERVER_BUSY');
    } finally {
      await knex.destroy();
    }
  });

  it("answers 503 SERVER_BUSY when SQLite's writer lock outlasts the busy timeout", () => {
    const file = tempFile();
    const holder = new Database(file);
    const other = new Database(file);
    try {
      holder.exec('create table t (x integer)');
      other.pragma('busy_timeout = 0');
      holder.exec('begin immediate');
      let caught: unknown;
      try {
        other.exec('insert into t values (1)');
      } catch (err) {
        caught = err;
      }
      holder.exec('rollback');
      expect((caught as { code?: string })?.code).toBe('SQLITE_BUSY');
      expect(toErrorResponse(caught)).toMatchObject({ status: 503, body: { error: { code: 'SERVER_BUSY' } } });
    } finally {
      other.close();
      holder.close();
    }
  });

  it('still answers 500 INTERNAL for an error nobody expected', () => {
    expect(toErrorResponse(new Error('boom'))).toMatchObject({ status: 500, unexpected: true, body: { error: { code: 'INTERNAL' } } });
  });
});
