import type { Knex } from 'knex';
import { nowIso } from './clock.ts';
import { newId } from './ids.ts';
import { changeRows, type RowFilter } from './change-rows.ts';
import { isSynced, isSyncedChange } from './journal-policy.ts';
import { auditRow, flushJournal, outboxRow, type Actor, type Journal, type OutboxOp } from './scoped-store.ts';
import { rawRows, sqliteTransaction } from './sqlite-direct.ts';
import { PLATFORM, scopedKnex, unscopedKnex } from './row-security.ts';
import { dialectOf } from './knex.ts';
import type { SyncContext } from './sync-context.ts';

export type { RowFilter };

type Row = Record<string, unknown>;

export interface PlatformWrite {
  /** The estate the action happened in, recorded on the audit and outbox rows; null for account-wide actions. */
  estateId: string | null;
  action?: string;
}

/** The name of a table as an SQL identifier; table names are written in code, never taken from input. */
function quoted(table: string): string {
  if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
  return `"${table}"`;
}

/**
 * The write path for platform data: accounts, sessions, bearer tokens, invites, memberships and estates themselves.
 * Like `ScopedStore` for estate data, every insert and update writes its audit row, and its outbox row when the table
 * is synced (`journal-policy.ts`), in the same transaction as the change. Reads go through `query`.
 */
export class PlatformStore {
  /** Platform-wide on PostgreSQL's row-level security (`row-security.ts`): accounts span estates. */
  readonly knex: Knex | Knex.Transaction;

  constructor(
    knex: Knex | Knex.Transaction,
    readonly actor: Actor,
    readonly sync: SyncContext,
    private readonly journal?: Journal,
  ) {
    this.knex = scopedKnex(knex, PLATFORM);
  }

  get inTransaction(): boolean {
    return (this.knex as Knex.Transaction).isTransaction === true;
  }

  withActor(actor: Actor): PlatformStore {
    return new PlatformStore(this.knex, actor, this.sync, this.journal);
  }

  /** Runs `fn` in one transaction; nested calls join the outer one. */
  async transaction<T>(fn: (tx: PlatformStore) => Promise<T>): Promise<T> {
    if (this.inTransaction && this.journal) return fn(this);
    if (this.inTransaction) {
      // Joined from a ScopedStore's transaction (a new account made by an estate admin): that store flushes its
      // journal at commit, this one flushes its own rows before returning into it.
      const journal: Journal = { audit: [], outbox: [] };
      const result = await fn(new PlatformStore(this.knex, this.actor, this.sync, journal));
      await flushJournal(this.knex as Knex.Transaction, journal);
      return result;
    }
    const onSqlite = sqliteTransaction(this.knex);
    return (onSqlite ?? ((body) => (this.knex as Knex).transaction(body)))(async (trx: Knex.Transaction) => {
      const journal: Journal = { audit: [], outbox: [] };
      const result = await fn(new PlatformStore(trx, this.actor, this.sync, journal));
      await flushJournal(trx, journal);
      return result;
    });
  }

  query(table: string): Knex.QueryBuilder {
    return this.knex(table);
  }

  /** Inserts one row (given its id, or a new one) with its journal rows. */
  async insert<T = Row>(table: string, values: Row, write: PlatformWrite): Promise<T> {
    const row = { id: newId(), ...values };
    return this.transaction(async (tx) => {
      await tx.knex(table).insert(row);
      tx.record(write, table, row.id as string, undefined, row, 'insert');
      return row as unknown as T;
    });
  }

  /**
   * Inserts one row unless it collides on `conflictColumns` (two first uses at once); true when this row was written.
   * Only the written row is journaled.
   */
  async insertUnlessExists(table: string, values: Row, conflictColumns: readonly string[], write: PlatformWrite): Promise<boolean> {
    const row: Row = { id: newId(), ...values };
    return this.transaction(async (tx) => {
      const columns = Object.keys(row);
      const sql =
        `insert into ${quoted(table)} (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
        `on conflict (${conflictColumns.map((c) => `"${c}"`).join(', ')}) do nothing returning "id"`;
      const inserted = await rawRows<{ id: string }>(
        tx.knex,
        sql,
        columns.map((c) => row[c] ?? null),
      );
      if (!inserted.length) return false;
      tx.record(write, table, row.id as string, undefined, row, 'insert');
      return true;
    });
  }

  /** Changes the rows `filter` selects; returns them as they are now. A conditional update checks the count. */
  async update(table: string, filter: RowFilter, patch: Row, write: PlatformWrite): Promise<Row[]> {
    return this.transaction(async (tx) => {
      const changed = await changeRows(tx.knex as Knex.Transaction, table, filter, patch);
      const synced = isSyncedChange(table, Object.keys(patch));
      for (const { before, after } of changed) {
        tx.record(write, table, before.id as string, before, after, 'update', before.estate_id as string | undefined, synced);
      }
      return changed.map((c) => c.after);
    });
  }

  private record(
    write: PlatformWrite,
    table: string,
    rowId: string,
    before: unknown,
    after: unknown,
    op: OutboxOp,
    rowEstate?: string | null,
    synced = isSynced(table),
  ): void {
    const journal = this.journal!;
    const estateId = write.estateId ?? rowEstate ?? null;
    const at = nowIso();
    const entry = { action: write.action ?? `${table}.${op === 'insert' ? 'create' : op}`, table, rowId, before, after };
    journal.audit.push(auditRow(this.actor, estateId, entry, at));
    if (synced) journal.outbox.push(outboxRow(this.sync, estateId, table, rowId, op, at));
  }
}

/**
 * `knex` in the platform scope of PostgreSQL's row-level security, for the reads that span estates by nature and
 * are not a PlatformStore's: sign-in and session lookup (memberships of every estate), invites, job claims,
 * schedules. Everything else reaches estate rows through a `ScopedStore`, which names its own estate.
 */
export function platformKnex<K extends Knex | Knex.Transaction>(knex: K): K {
  return scopedKnex(knex, PLATFORM);
}

/**
 * For a statement that names the platform scope itself, through a function declared with
 * `set klustera.scope = 'platform'` (PostgreSQL only: the sign-in lookup, migrations/20261205000500_session_lookup.ts):
 * `knex` without the transaction a platform proxy would open around it, so the statement is one round trip. Null on
 * SQLite, which has no such functions. Anything else run through it as the app role sees no estate's rows.
 */
export function selfScopedKnex<K extends Knex | Knex.Transaction>(knex: K): K | null {
  return dialectOf(knex) === 'postgres' ? unscopedKnex(knex) : null;
}
