import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
// knex's own better-sqlite3 dialect; extended below rather than replaced.
const ClientBetterSqlite3 = require('knex/lib/dialects/better-sqlite3') as new (config: unknown) => object;

interface Statement {
  reader: boolean;
  all(bindings: unknown[]): unknown[];
  run(bindings: unknown[]): { lastInsertRowid: number | bigint; changes: number };
  safeIntegers(on: boolean): void;
}
export interface Connection {
  prepare(sql: string): Statement;
  /** better-sqlite3: whether a transaction is open on this connection. */
  readonly inTransaction: boolean;
  readonly open: boolean;
}
interface QueryObject {
  sql: string;
  bindings?: unknown[];
  options?: unknown;
  response?: unknown;
  context?: unknown;
}

const MAX_CACHED = 1000;
// Module-level: knex builds transaction clients from the class prototype, so instance fields would not be seen there.
const statementsByConnection = new WeakMap<Connection, Map<string, Statement>>();

/**
 * knex's better-sqlite3 client prepares every statement anew; compiling the SQL is a large share of a small
 * query's cost (recording a payment runs ~25). This client keeps prepared statements per connection, keyed by the
 * SQL text. SQLite re-prepares a cached statement by itself after a schema change.
 */
/** The connection's prepared statement for `sql`, prepared on first use. */
export function preparedStatement(connection: Connection, sql: string): Statement {
  let cache = statementsByConnection.get(connection);
  if (!cache) {
    cache = new Map();
    statementsByConnection.set(connection, cache);
  }
  let statement = cache.get(sql);
  if (!statement) {
    statement = connection.prepare(sql);
    if (cache.size >= MAX_CACHED) cache.clear();
    cache.set(sql, statement);
  }
  return statement;
}

export class CachingBetterSqlite3Client extends ClientBetterSqlite3 {
  async _query(connection: Connection, obj: QueryObject): Promise<QueryObject> {
    if (!obj.sql) throw new Error('The query is empty');
    if (!connection) throw new Error('No connection provided');
    const statement = preparedStatement(connection, obj.sql);
    const self = this as unknown as {
      _optSafeIntegers(options: unknown): boolean | undefined;
      _formatBindings(bindings: unknown[] | undefined): unknown[];
    };
    const safeIntegers = self._optSafeIntegers(obj.options);
    statement.safeIntegers(safeIntegers ?? false);
    const bindings = self._formatBindings(obj.bindings);
    if (statement.reader) {
      obj.response = statement.all(bindings);
      return obj;
    }
    const response = statement.run(bindings);
    obj.response = response;
    obj.context = { lastID: response.lastInsertRowid, changes: response.changes };
    return obj;
  }
}
