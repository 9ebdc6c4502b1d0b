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
  /** PostgreSQL as the row-security role: queries must name their scope (row-security.ts). */
  klusteraRowScope?: boolean;
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

/**
 * Runs one write statement for each of `count` lists of values, prepared once and directly on the connection, when
 * that is safe for `knex` right now (as `directSqlite`); false when it is not and nothing ran. Many rows through one
 * single-row statement cost SQLite what one multi-row statement does, without first building and converting a binding
 * list of tens of thousands of values. A savepoint keeps the whole as atomic as one statement: a row that fails
 * leaves none of the others written.
 */
export function directSqliteWriteEach(
  knex: Knex | Knex.Transaction,
  sql: string,
  count: number,
  /** Fills `values` (reused from row to row) with the values of row `i`. */
  fill: (i: number, values: unknown[]) => void,
): boolean {
  if (!directSqlite(knex)) return false;
  const connection = holderOf(knex)!.connection!;
  const statement = connection.prepare(sql);
  if (statement.reader) return false;
  statement.safeIntegers(false);
  const values: unknown[] = [];
  run(connection, `savepoint ${EACH_SAVEPOINT}`, []);
  try {
    for (let i = 0; i < count; i++) {
      fill(i, values);
      for (let v = 0; v < values.length; v++) {
        const value = values[v];
        if (value === undefined || typeof value === 'boolean' || value instanceof Date) values[v] = formatBinding(value);
      }
      statement.run(values);
    }
  } catch (err) {
    run(connection, `rollback to ${EACH_SAVEPOINT}`, []);
    run(connection, `release ${EACH_SAVEPOINT}`, []);
    throw err;
  }
  run(connection, `release ${EACH_SAVEPOINT}`, []);
  return true;
}
const EACH_SAVEPOINT = 'klustera_each';

/** Rows of a `?`-placeholder statement, directly when safe, through `knex.raw` otherwise (and on PostgreSQL). */
export async function rawRows<T>(
  knex: Knex | Knex.Transaction,
  sql: string,
  bindings: readonly unknown[],
  /** PostgreSQL: run as this named prepared statement (parsed once per connection; see query-template.ts). */
  preparedName?: string,
): Promise<T[]> {
  const direct = directSqlite(knex);
  if (direct) return direct(sql, bindings) as T[];
  const query = knex.raw(sql, bindings as Knex.RawBinding[]);
  // knex hands `options` to pg's query config; pg prepares a named statement once per connection and reuses it.
  if (preparedName) query.options({ name: preparedName });
  const result = await query;
  return (Array.isArray(result) ? result : result.rows) as T[];
}

type Body = (trx: Knex.Transaction) => Promise<unknown>;
interface QueuedBody {
  knex: Knex;
  body: Body;
  resolve(value: unknown): void;
  reject(error: unknown): void;
}
interface WriteQueue {
  waiting: QueuedBody[];
  draining: boolean;
}

const writeQueues = new WeakMap<SqliteHolder, WriteQueue>();
/** Bodies sharing one COMMIT at most; bounds how long the first of them waits for the last. */
export const MAX_GROUP = 16;
const BODY_SAVEPOINT = 'klustera_body';
const NOTHING_COMMITTED = Symbol('nothing committed');

/**
 * Runs `body` in a transaction on the embedded database (BEGIN IMMEDIATE, see sqlite-client.ts); null on
 * PostgreSQL and inside a transaction, where the caller picks its own. The pool's one connection is the
 * transaction's until it ends, so other requests' queries wait for the commit.
 *
 * Group commit: bodies that arrive while another transaction holds the connection wait in a queue, and the next
 * transaction runs every one waiting then (up to MAX_GROUP), one after the other, each inside its own savepoint,
 * and commits them together. A body that throws is rolled back to its savepoint and rejects with its own error;
 * the others still commit. Each body resolves only once the COMMIT holding its writes has succeeded. Starting a knex
 * transaction (its transactor object, BEGIN, COMMIT and the log frames the commit writes) costs more than most
 * request bodies' own statements, and a busy server now pays it once per group instead of once per request; an idle
 * one still runs each body alone in its own transaction, as before.
 */
export function sqliteTransaction(knex: Knex | Knex.Transaction): (<T>(body: (trx: Knex.Transaction) => Promise<T>) => Promise<T>) | null {
  const holder = holderOf(knex);
  if (!holder || knex.isTransaction) return null;
  return <T>(body: (trx: Knex.Transaction) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      let queue = writeQueues.get(holder);
      if (!queue) {
        queue = { waiting: [], draining: false };
        writeQueues.set(holder, queue);
      }
      queue.waiting.push({ knex: knex as Knex, body, resolve: resolve as (value: unknown) => void, reject });
      if (!queue.draining) {
        queue.draining = true;
        // One turn of the event loop first: requests already parsed then reach this queue with their bodies (their
        // reads before the transaction run while the connection is free) instead of each opening a transaction alone.
        setImmediate(() => void drain(queue));
      }
    });
}

async function drain(queue: WriteQueue): Promise<void> {
  queue.draining = true;
  try {
    while (queue.waiting.length) {
      // Bodies of one knex instance per group: the transaction they share is made from it.
      let size = 1;
      while (size < queue.waiting.length && size < MAX_GROUP && queue.waiting[size].knex === queue.waiting[0].knex) size++;
      await runGroup(queue.waiting.splice(0, size));
    }
  } finally {
    queue.draining = false;
  }
}

async function runGroup(group: QueuedBody[]): Promise<void> {
  const { knex } = group[0];
  if (group.length === 1) {
    const [only] = group;
    try {
      only.resolve(await knex.transaction(only.body));
    } catch (err) {
      only.reject(err);
    }
    return;
  }
  const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
  try {
    await knex.transaction(async (trx) => {
      const connection = holderOf(trx)!.connection!;
      for (const queued of group) {
        run(connection, `savepoint ${BODY_SAVEPOINT}`, []);
        try {
          const value = await queued.body(trx);
          run(connection, `release ${BODY_SAVEPOINT}`, []);
          outcomes.push({ ok: true, value });
        } catch (error) {
          run(connection, `rollback to ${BODY_SAVEPOINT}`, []);
          run(connection, `release ${BODY_SAVEPOINT}`, []);
          outcomes.push({ ok: false, error });
        }
      }
      // Ends the transaction with a ROLLBACK, as a lone failing body's would: nothing was kept, and whatever waits
      // for this transaction's outcome (live updates) hears that it did not commit.
      if (!outcomes.some((o) => o.ok)) throw NOTHING_COMMITTED;
    });
  } catch (err) {
    // BEGIN or COMMIT failed, or every body threw: no body's writes were kept.
    group.forEach((queued, i) => {
      const outcome = outcomes[i];
      queued.reject(outcome && !outcome.ok ? outcome.error : err);
    });
    return;
  }
  group.forEach((queued, i) => {
    const outcome = outcomes[i];
    if (outcome.ok) queued.resolve(outcome.value);
    else queued.reject(outcome.error);
  });
}
