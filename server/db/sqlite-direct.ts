import { createRequire } from 'node:module';
import type { Knex } from 'knex';
import { preparedStatement, type Connection } from './sqlite-client.ts';

/**
 * Plain SQL straight on the embedded database's one connection, without a trip through knex's runner, pool and
 * promise chain — which cost more than the statement itself and allocate enough per query that the garbage
 * collector shows up in a gate scan's latency. Only where that is exactly what knex would have done:
 *
 * - inside a transaction that is still open: the pool has one connection, so it is this transaction's;
 * - outside any transaction, when the connection sits idle in the pool: better-sqlite3 runs the statement to the
 *   end synchronously, so nothing else can get the connection half-way.
 *
 * Anything else (PostgreSQL, a busy connection, a finished transaction) returns null and goes through knex.
 */
const HOLDER = Symbol('klustera.sqliteConnection');

interface Holder {
  connection: Connection | null;
}

/** Called when the SQLite pool is configured: its `afterCreate` hands the connection to `holder`. */
export function sqliteConnectionHolder(config: object): Holder {
  const holder: Holder = { connection: null };
  (config as Record<symbol, Holder>)[HOLDER] = holder;
  return holder;
}

type Runnable = (sql: string, bindings: readonly unknown[]) => Record<string, unknown>[];

interface KnexLike {
  client: { config: Record<symbol, Holder | undefined>; pool?: { numUsed(): number; numPendingAcquires(): number } | null };
  isTransaction?: boolean;
  isCompleted?: () => boolean;
}

function formatBinding(value: unknown): unknown {
  if (value === undefined) throw new TypeError('Undefined binding in SQL statement');
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (value instanceof Date) return value.valueOf();
  return value;
}

function run(connection: Connection, sql: string, bindings: readonly unknown[]): Record<string, unknown>[] {
  const statement = preparedStatement(connection, sql);
  statement.safeIntegers(false);
  const values = bindings.map(formatBinding);
  if (statement.reader) return statement.all(values) as Record<string, unknown>[];
  statement.run(values);
  return [];
}

/** A function running SQL directly on the connection when that is safe for `knex` right now, else null. */
export function directSqlite(knex: Knex | Knex.Transaction): Runnable | null {
  const k = knex as unknown as KnexLike;
  const connection = k.client.config[HOLDER]?.connection;
  if (!connection?.open) return null;
  if (k.isTransaction) {
    if (k.isCompleted?.() !== false || !connection.inTransaction) return null;
  } else {
    const pool = (knex as unknown as { client: { pool?: { numUsed(): number } | null } }).client.pool;
    if (!pool || pool.numUsed() !== 0 || connection.inTransaction) return null;
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

// knex's own builder factory, for a knex instance bound to the one connection (as knex builds for a transaction).
const makeKnex = createRequire(import.meta.url)('knex/lib/knex-builder/make-knex.js') as (client: object) => Knex;

interface TxState {
  connection: Connection | null;
  /** The transaction the bound instance currently serves; each ScopedStore transaction gets its own token. */
  token: { open: boolean } | null;
}

interface Bound {
  knex: Knex;
  state: TxState;
}

const boundByHolder = new WeakMap<Holder, Bound>();

/**
 * A knex instance whose queries run on the held connection, made once and reused by every transaction: knex makes a
 * new instance per transaction, and its pieces live long enough to be promoted out of the young generation, so a
 * busy estate office paid for each payment again in garbage-collection pauses.
 */
function boundKnex(root: Knex, holder: Holder): Bound {
  let bound = boundByHolder.get(holder);
  if (bound) return bound;
  const client = root.client as Record<string, unknown> & { constructor: { prototype: object } };
  const state: TxState = { connection: null, token: null };
  // The same fields knex's makeTxClient copies for a transaction's client.
  const txClient = Object.create(client.constructor.prototype) as Record<string, unknown>;
  for (const field of ['version', 'config', 'driver', 'connectionSettings', 'valueForUndefined', 'logger']) txClient[field] = client[field];
  txClient.transacting = true;
  txClient.acquireConnection = () => {
    if (!state.token?.open || !state.connection) return Promise.reject(new Error('Transaction query already complete'));
    return Promise.resolve(state.connection);
  };
  txClient.releaseConnection = () => Promise.resolve();
  const knex = makeKnex(txClient);
  (knex as unknown as { isTransaction: boolean }).isTransaction = true;
  bound = { knex, state };
  boundByHolder.set(holder, bound);
  return bound;
}

/** What one transaction sees: the bound instance, refusing work once this transaction has ended. */
function transactionView(bound: Bound, token: { open: boolean }): Knex.Transaction {
  const isCompleted = () => !token.open;
  const check = () => {
    if (!token.open) throw new Error('Transaction query already complete');
  };
  return new Proxy(bound.knex, {
    apply(target, _this, args: unknown[]) {
      check();
      return Reflect.apply(target as unknown as (...a: unknown[]) => unknown, undefined, args);
    },
    get(target, prop) {
      if (prop === 'isCompleted') return isCompleted;
      if (prop === 'raw') check();
      return Reflect.get(target, prop, target);
    },
  }) as unknown as Knex.Transaction;
}

/**
 * Runs `body` in one SQLite transaction on the pool's connection, BEGIN and COMMIT issued directly; null on
 * PostgreSQL (knex's transactions serve there). The connection is taken from the pool for the whole transaction, so
 * other requests' queries wait exactly as they would for a knex transaction.
 */
export function sqliteTransaction(knex: Knex | Knex.Transaction): (<T>(body: (trx: Knex.Transaction) => Promise<T>) => Promise<T>) | null {
  const k = knex as unknown as KnexLike;
  const holder = k.client.config[HOLDER];
  if (!holder || k.isTransaction) return null;
  return async <T>(body: (trx: Knex.Transaction) => Promise<T>): Promise<T> => {
    const root = knex as Knex;
    const client = root.client as { acquireConnection(): Promise<Connection>; releaseConnection(c: Connection): Promise<unknown> };
    const connection = await client.acquireConnection();
    const bound = boundKnex(root, holder);
    const token = { open: true };
    try {
      // IMMEDIATE: the write lock is taken up front. This process has one connection, so its transactions already
      // run one at a time; another process on the same file (a CLI command) then waits for the lock
      // (busy_timeout) instead of failing with SQLITE_BUSY when a transaction that read first tries to write.
      run(connection, 'BEGIN IMMEDIATE', []);
      bound.state.connection = connection;
      bound.state.token = token;
      try {
        const result = await body(transactionView(bound, token));
        run(connection, 'COMMIT', []);
        return result;
      } catch (err) {
        if (connection.inTransaction) run(connection, 'ROLLBACK', []);
        throw err;
      }
    } finally {
      token.open = false;
      bound.state.token = null;
      bound.state.connection = null;
      await client.releaseConnection(connection);
    }
  };
}
