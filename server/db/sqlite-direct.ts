import type { Knex } from 'knex';
import type { Connection } from './sqlite-client.ts';

/**
 * Plain SQL straight on the embedded database's one connection, without a trip through knex's runner and promise
 * chain — which cost more than the statement itself and allocate enough per query that the garbage collector shows
 * up in a gate scan's latency. Only where that is exactly what knex would have done:
 *
 * - inside a transaction that is still open: the pool has one connection, so the open transaction on it is this one;
 * - outside any transaction, when no transaction is open on the connection: better-sqlite3 runs the statement to the
 *   end synchronously, so it is one whole autocommit statement, as knex would have run it.
 *
 * Anything else (PostgreSQL, another request's open transaction, a finished transaction) returns null and goes
 * through knex. Only public API is used: the connection is the one knex's pool hands to `pool.afterCreate`, and it
 * reaches every transaction through knex's `userParams`, which transactions inherit from their knex instance.
 */
export interface SqliteHolder {
  connection: Connection | null;
}

/** What `openDatabase` puts in knex's `userParams`. */
export interface DatabaseParams {
  klusteraDialect: 'sqlite' | 'postgres';
  klusteraSqlite?: SqliteHolder;
}

type Runnable = (sql: string, bindings: readonly unknown[]) => Record<string, unknown>[];

function holderOf(knex: Knex | Knex.Transaction): SqliteHolder | undefined {
  return (knex.userParams as Partial<DatabaseParams> | undefined)?.klusteraSqlite;
}

// The conversions knex's better-sqlite3 dialect applies to bindings, so both paths store the same values.
function formatBinding(value: unknown): unknown {
  if (value === undefined) throw new TypeError('Undefined binding in SQL statement');
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  return value;
}

function run(connection: Connection, sql: string, bindings: readonly unknown[]): Record<string, unknown>[] {
  const statement = connection.prepare(sql);
  statement.safeIntegers(false);
  const values = bindings.map(formatBinding);
  if (statement.reader) return statement.all(values) as Record<string, unknown>[];
  statement.run(values);
  return [];
}

/** A function running SQL directly on the connection when that is safe for `knex` right now, else null. */
export function directSqlite(knex: Knex | Knex.Transaction): Runnable | null {
  const connection = holderOf(knex)?.connection;
  if (!connection?.open) return null;
  if (knex.isTransaction) {
    if ((knex as Knex.Transaction).isCompleted() || !connection.inTransaction) return null;
  } else if (connection.inTransaction) {
    return null;
  }
  return (sql, bindings) => run(connection, sql, bindings);
}

/** Rows of a `?`-placeholder statement, directly when safe, through `knex.raw` otherwise (and on PostgreSQL). */
export async function rawRows<T>(knex: Knex | Knex.Transaction, sql: string, bindings: readonly unknown[]): Promise<T[]> {
  const direct = directSqlite(knex);
  if (direct) return direct(sql, bindings) as T[];
  const result = await knex.raw(sql, bindings as Knex.RawBinding[]);
  return (Array.isArray(result) ? result : result.rows) as T[];
}

/**
 * Runs `body` in one knex transaction on the embedded database (BEGIN IMMEDIATE, see sqlite-client.ts); null on
 * PostgreSQL and inside a transaction, where the caller picks its own. The pool's one connection is the
 * transaction's until it ends, so other requests' queries wait for the commit.
 */
export function sqliteTransaction(knex: Knex | Knex.Transaction): (<T>(body: (trx: Knex.Transaction) => Promise<T>) => Promise<T>) | null {
  if (!holderOf(knex) || knex.isTransaction) return null;
  return <T>(body: (trx: Knex.Transaction) => Promise<T>) => (knex as Knex).transaction(body);
}
