// The PostgreSQL test infrastructure itself: every file gets its own empty database.
import { afterAll, describe, expect, inject, it } from 'vitest';
import pg from 'pg';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';

const created: TestDatabase[] = [];
afterAll(async () => {
  for (const database of created) await database.drop();
});

async function query(url: string, sql: string): Promise<pg.QueryResult> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await client.query(sql);
  } finally {
    await client.end();
  }
}

describe('PostgreSQL for tests', () => {
  it('provides a reachable server URL', async () => {
    const url = inject('pgUrl');
    expect(url).toMatch(/^postgres(ql)?:\/\//);
    const result = await query(url, 'select 1 as one');
    expect(result.rows[0].one).toBe(1);
  });

  it('creates separate, empty databases that do not see each other', async () => {
    const first = await createTestDatabase(inject('pgUrl'));
    const second = await createTestDatabase(inject('pgUrl'));
    created.push(first, second);
    expect(first.name).not.toBe(second.name);
    await query(first.url, 'create table marker (id text primary key)');
    const inSecond = await query(second.url, "select count(*)::int as n from information_schema.tables where table_name = 'marker'");
    expect(inSecond.rows[0].n).toBe(0);
    const inFirst = await query(first.url, "select count(*)::int as n from information_schema.tables where table_name = 'marker'");
    expect(inFirst.rows[0].n).toBe(1);
  });

  it('drops a database', async () => {
    const database = await createTestDatabase(inject('pgUrl'));
    await database.drop();
    const result = await query(inject('pgUrl'), `select count(*)::int as n from pg_database where datname = '${database.name}'`);
    expect(result.rows[0].n).toBe(0);
  });

  it('refuses to hand out a database when no server was started', async () => {
    await expect(createTestDatabase('')).rejects.toThrow(/No PostgreSQL server/);
  });
});
