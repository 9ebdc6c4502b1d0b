/**
 * What the server asks of the better-sqlite3 connection that knex's pool hands to `pool.afterCreate`. Everything
 * here works on that connection object (better-sqlite3's public API), never on knex's client: knex is reached
 * through its public API only, so a knex release cannot change how a statement runs.
 */
interface Statement {
  reader: boolean;
  all(...bindings: unknown[]): unknown[];
  run(...bindings: unknown[]): { lastInsertRowid: number | bigint; changes: number };
  safeIntegers(on?: boolean): Statement;
}
export interface Connection {
  prepare(sql: string): Statement;
  /** better-sqlite3: whether a transaction is open on this connection. */
  readonly inTransaction: boolean;
  readonly open: boolean;
}

const MAX_CACHED = 1000;

// knex opens a transaction with a plain BEGIN (deferred). A deferred transaction that reads first and writes later
// fails with SQLITE_BUSY at once when another process (a CLI command) wrote in between, whatever busy_timeout says;
// taking the write lock up front makes it wait for the lock instead. This process has one connection, so its own
// transactions run one at a time either way.
const DEFERRED_BEGIN = /^\s*begin(\s+deferred)?(\s+transaction)?\s*;?\s*$/i;
const BEGIN_IMMEDIATE = 'BEGIN IMMEDIATE';

/**
 * Makes the connection keep its prepared statements, keyed by SQL text, and begin transactions IMMEDIATE. Preparing
 * (compiling the SQL) is a large share of a small query's cost and recording a payment runs ~25 of them; SQLite
 * re-prepares a cached statement by itself after a schema change. Statements from knex and from sqlite-direct.ts
 * share the cache because both call `prepare` on this connection.
 */
export function adoptConnection<C extends Connection>(connection: C): C {
  const prepareAnew = connection.prepare.bind(connection);
  const cache = new Map<string, Statement>();
  Object.defineProperty(connection, 'prepare', {
    configurable: true,
    value: (sql: string): Statement => {
      let statement = cache.get(sql);
      if (!statement) {
        statement = prepareAnew(DEFERRED_BEGIN.test(sql) ? BEGIN_IMMEDIATE : sql);
        if (cache.size >= MAX_CACHED) cache.clear();
        cache.set(sql, statement);
      }
      return statement;
    },
  });
  return connection;
}
