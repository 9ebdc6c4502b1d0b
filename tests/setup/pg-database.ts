// One PostgreSQL database per test file, so files run in parallel without seeing each other's rows.
import { randomBytes } from 'node:crypto';
import pg from 'pg';

export interface TestDatabase {
  /** Connection URL of the new, empty database. */
  url: string;
  name: string;
  drop(): Promise<void>;
}

/**
 * Creates `test_<random>` on the server at `serverUrl` (the value of `inject('pgUrl')`).
 * Throws when no server was started for this run.
 */
export async function createTestDatabase(serverUrl: string | undefined): Promise<TestDatabase> {
  if (!serverUrl) {
    throw new Error(
      'No PostgreSQL server for this run: put the test under tests/db/, mention pgUrl in it, ' +
        'set KLUSTERA_TEST_PG=1, or point KLUSTERA_TEST_DATABASE_URL at a server.',
    );
  }
  const name = `test_${randomBytes(8).toString('hex')}`;
  await adminQuery(serverUrl, `CREATE DATABASE ${name}`);
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      await adminQuery(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function adminQuery(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}
