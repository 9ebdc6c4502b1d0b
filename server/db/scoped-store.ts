import type { Knex } from 'knex';
import { NotFoundError } from '../http/errors.ts';
import type { Role } from '../auth/permissions.ts';
import { nowIso } from './clock.ts';
import { newId } from './ids.ts';
import { insertTogether, insertValues, insertValuesUnlessExists, type TableRows } from './bulk-insert.ts';
import { preparedStatementName } from './query-template.ts';
import { rawRows, sqliteTransaction } from './sqlite-direct.ts';
import type { SyncContext } from './sync-context.ts';
import { isSynced, withoutSecrets } from './journal-policy.ts';
import { changeRows, type RowFilter } from './change-rows.ts';
import { readsOpenTransactions, scopedKnex } from './row-security.ts';
import { announceChange, announceOutbox, outboxSignalSelect, type LiveTopic } from './live-changes.ts';

export interface Actor {
  userId: string | null;
  role: Role | 'system' | 'device';
  deviceId?: string | null;
}

export const SYSTEM_ACTOR: Actor = { userId: null, role: 'system' };

type Row = Record<string, unknown>;
export type OutboxOp = 'insert' | 'update' | 'delete';

export type JournalEntry = { action: string; table: string; rowId: string; before?: unknown; after?: unknown; op?: OutboxOp };

export function auditRow(actor: Actor, estateId: string | null, entry: JournalEntry, at: string): Row {
  return {
    id: newId(),
    estate_id: estateId,
    actor_user_id: actor.userId,
    actor_role: actor.role,
    actor_device_id: actor.deviceId ?? null,
    action: entry.action,
    entity_table: entry.table,
    entity_id: entry.rowId,
    before: entry.before === undefined ? null : JSON.stringify(withoutSecrets(entry.table, entry.before)),
    after: entry.after === undefined ? null : JSON.stringify(withoutSecrets(entry.table, entry.after)),
    created_at: at,
  };
}

export function outboxRow(
  sync: SyncContext,
  estateId: string | null,
  table: string,
  rowId: string,
  op: OutboxOp,
  at: string,
  columns: readonly string[] | null = null,
): Row {
  return {
    id: newId(),
    estate_id: estateId,
    table_name: table,
    row_id: rowId,
    op,
    hlc: sync.clock.tick(),
    site_id: sync.siteId,
    created_at: at,
    columns: columns ? JSON.stringify(columns) : null,
  };
}

/**
 * The columns an update changed, from the row before and after: sync merges reference rows column by column, each
 * column taking the clock value of the newest outbox row that names it (server/sync/README.md). Null (every column)
 * for anything but an update of two rows.
 */
export function changedColumns(op: OutboxOp | undefined, before: unknown, after: unknown): string[] | null {
  if (op !== 'update' || !before || !after || typeof before !== 'object' || typeof after !== 'object') return null;
  const b = before as Row;
  const a = after as Row;
  const out: string[] = [];
  for (const key of Object.keys(a)) {
    if (key === 'updated_at' || key === 'id' || key === 'estate_id') continue;
    if (JSON.stringify(a[key] ?? null) !== JSON.stringify(b[key] ?? null)) out.push(key);
  }
  return out;
}

/**
 * Writes that are not estate-owned (users, memberships) still leave an audit row and an outbox row in the same
 * transaction; `estateId` is then the estate the action happened in, or null.
 */
export async function writeAuditAndOutbox(
  trx: Knex | Knex.Transaction,
  sync: SyncContext,
  actor: Actor,
  estateId: string | null,
  entry: JournalEntry,
): Promise<void> {
  const at = nowIso();
  await trx('audit_log').insert(auditRow(actor, estateId, entry, at));
  if (entry.op) {
    const columns = changedColumns(entry.op, entry.before, entry.after);
    await trx('outbox').insert(outboxRow(sync, estateId, entry.table, entry.rowId, entry.op, at, columns));
  }
  if (entry.op && estateId) await announceOutbox(trx, [estateId]);
}

/**
 * Audit and outbox rows of one transaction, written together just before it commits: two multi-row inserts instead
 * of two inserts per change (a gate scan or a payment touches three or four tables).
 */
export interface Journal {
  audit: Row[];
  outbox: Row[];
  /** Rows nothing in the transaction reads back (the idempotency record of a request), written with the journal. */
  atCommit?: TableRows[];
}

export async function flushJournal(trx: Knex.Transaction, journal: Journal): Promise<void> {
  const outbox = journal.outbox.splice(0);
  const estates = outbox.flatMap((row) => (typeof row.estate_id === 'string' ? [row.estate_id] : []));
  // Sync pushes (desktop) and answers waiting pulls (hosted) within a second of the commit instead of the minute.
  // On PostgreSQL the notifications end the statement that writes the rows: one round trip for the whole journal,
  // made while the transaction still holds whatever estate-wide lock it took.
  const signal = outboxSignalSelect(trx, estates);
  await insertTogether(
    trx,
    [...(journal.atCommit?.splice(0) ?? []), { table: 'audit_log', rows: journal.audit.splice(0) }, { table: 'outbox', rows: outbox }],
    signal,
  );
  if (!signal) await announceOutbox(trx, estates);
}

// One statement, so two transactions minting the first number of a day cannot both find no row and both insert it:
// the loser of the insert waits for the winner's row and increments it (SQLite ≥ 3.35 and PostgreSQL).
const NEXT_SEQUENCE_SQL =
  'insert into "sequences" ("estate_id", "name", "value") values (?, ?, ?) ' +
  'on conflict ("estate_id", "name") do update set "value" = "sequences"."value" + excluded."value" returning "value"';

const findSqlCache = new Map<string, string>();
function findSql(table: string, includeDeleted: boolean): string {
  const key = `${table}|${includeDeleted}`;
  let sql = findSqlCache.get(key);
  if (!sql) {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    sql = `select * from "${table}" where "estate_id" = :estate_id${includeDeleted ? '' : ' and "deleted_at" is null'} and "id" = ? limit 1`;
    findSqlCache.set(key, sql);
  }
  return sql;
}

/** A compiled query (`queryTemplate`) with an `estateId` parameter, run by `ScopedStore.select`. */
type EstateTemplate = (knex: Knex | Knex.Transaction, values: never) => Promise<unknown[]>;

const ESTATE_MARKER = ':estate_id';
/**
 * Statements with more placeholders than this run unnamed: the long `in (…)` lists of batch work (the search terms of
 * 400 units). PostgreSQL's cached generic plan of such a statement cannot use the values, and for a table filled
 * faster than its statistics (a first upload) it scanned the estate's every unit and compared each with the list:
 * 15–20 ms a statement, where a plan made for the values takes 2 ms. Planning once per run costs little beside that.
 */
const MAX_PREPARED_PLACEHOLDERS = 16;
const estateStatements = new Map<string, { text: string; slots: ('estate' | 'value')[]; name?: string }>();
/**
 * `sql` with its estate markers turned into placeholders, which placeholder takes what, and its prepared statement's
 * name on PostgreSQL (query-template.ts): these are the fixed statements of the busiest paths.
 */
function estateStatement(sql: string): { text: string; slots: ('estate' | 'value')[]; name?: string } {
  let compiled = estateStatements.get(sql);
  if (!compiled) {
    const slots: ('estate' | 'value')[] = [];
    const text = sql.replace(/:estate_id\b|\?/g, (token) => {
      slots.push(token === ESTATE_MARKER ? 'estate' : 'value');
      return '?';
    });
    if (!slots.includes('estate')) throw new Error(`statement names no ${ESTATE_MARKER}: ${sql}`);
    compiled = { text, slots, name: slots.length <= MAX_PREPARED_PLACEHOLDERS ? preparedStatementName(text) : undefined };
    estateStatements.set(sql, compiled);
  }
  return compiled;
}

/** A row without its undefined fields, so the columns they name get their defaults as with a knex insert. */
function definedOnly(row: Row): Row {
  const out: Row = {};
  for (const key of Object.keys(row)) if (row[key] !== undefined) out[key] = row[key];
  return out;
}

/**
 * The one way to reach estate data. Every read is filtered by `estate_id`, every write gets it added, and every
 * mutation writes its audit row and outbox row in the same transaction as the change itself.
 */
export class ScopedStore {
  /**
   * On PostgreSQL every query of this store names its estate for row-level security (`row-security.ts`), reads
   * outside a transaction included; on SQLite the knex it was given.
   */
  readonly knex: Knex | Knex.Transaction;

  constructor(
    knex: Knex | Knex.Transaction,
    readonly estateId: string,
    readonly actor: Actor,
    readonly sync: SyncContext,
    /** Facts about the estate itself, read once per request and shared with the stores of its transactions. */
    private readonly estateFacts: { timezone?: string } = {},
    private readonly journal?: Journal,
  ) {
    this.knex = scopedKnex(knex, estateId);
  }

  /** The estate's time zone (periods, due dates, report days). */
  async timezone(): Promise<string> {
    if (!this.estateFacts.timezone) {
      // The estate row is the scope itself, not estate-scoped data, so it is read by id.
      const row = await this.knex('estates').where({ id: this.estateId }).first('timezone');
      this.estateFacts.timezone = (row?.timezone as string) || 'Asia/Jakarta';
    }
    return this.estateFacts.timezone;
  }

  get inTransaction(): boolean {
    return (this.knex as Knex.Transaction).isTransaction === true;
  }

  withActor(actor: Actor): ScopedStore {
    return new ScopedStore(this.knex, this.estateId, actor, this.sync, this.estateFacts, this.journal);
  }

  /** Runs `fn` in one transaction; nested calls join the outer one so a service can compose others. */
  async transaction<T>(fn: (tx: ScopedStore) => Promise<T>): Promise<T> {
    if (this.inTransaction) return fn(this);
    const onSqlite = sqliteTransaction(this.knex);
    return (onSqlite ?? ((body) => (this.knex as Knex).transaction(body)))(async (trx: Knex.Transaction) => {
      const journal: Journal = { audit: [], outbox: [] };
      const result = await fn(new ScopedStore(trx, this.estateId, this.actor, this.sync, this.estateFacts, journal));
      await flushJournal(trx, journal);
      return result;
    });
  }

  /**
   * Runs several reads as one: on PostgreSQL as the app role a read outside a transaction opens one of its own
   * (BEGIN, set_config, the read, COMMIT), so a page of three reads made twelve round trips and took a pooled
   * connection three times. Here they share one read-only transaction that names the estate once. Inside a
   * transaction, on SQLite and on owner connections `fn` gets this store and nothing changes.
   */
  async readTogether<T>(fn: (store: ScopedStore) => Promise<T>): Promise<T> {
    if (!readsOpenTransactions(this.knex)) return fn(this);
    return (this.knex as Knex).transaction((trx) => fn(new ScopedStore(trx, this.estateId, this.actor, this.sync, this.estateFacts)), {
      readOnly: true,
    });
  }

  /** Every row of `table` in this estate, tombstoned ones included. */
  query(table: string): Knex.QueryBuilder {
    return this.knex(table).where(`${table}.estate_id`, this.estateId);
  }

  /** Rows of `table` in this estate that are not tombstoned. */
  live(table: string): Knex.QueryBuilder {
    return this.query(table).whereNull(`${table}.deleted_at`);
  }

  async find<T = Row>(table: string, id: string, opts: { includeDeleted?: boolean } = {}): Promise<T | undefined> {
    if (typeof id !== 'string' || id.length > 64) return undefined;
    const [row] = await this.estateRows<T>(findSql(table, opts.includeDeleted === true), [id]);
    return row;
  }

  /**
   * A hand-written statement with `?` placeholders, for the paths that run on every payment and every scan: knex
   * spends more time building a small query than SQLite spends running it. The caller scopes it to the estate.
   */
  async rows<T = Row>(sql: string, bindings: readonly unknown[]): Promise<T[]> {
    return rawRows<T>(this.knex, sql, bindings);
  }

  /**
   * A hand-written statement scoped by the store: each `:estate_id` in `sql` becomes a placeholder bound to this
   * store's estate, the other `?` take `bindings` in order. Domain code names where the estate goes, never its value.
   */
  async estateRows<T = Row>(sql: string, bindings: readonly unknown[] = []): Promise<T[]> {
    const { text, slots, name } = estateStatement(sql);
    let next = 0;
    return rawRows<T>(
      this.knex,
      text,
      slots.map((slot) => (slot === 'estate' ? this.estateId : bindings[next++])),
      name,
    );
  }

  /**
   * Runs a compiled query (`queryTemplate`) whose `estateId` parameter is this store's estate: the caller passes the
   * other values only.
   */
  async select<T = Row>(template: EstateTemplate, values: Record<string, unknown> & { estateId?: never }): Promise<T[]> {
    const run = template as unknown as (knex: Knex | Knex.Transaction, values: Record<string, unknown>) => Promise<T[]>;
    return run(this.knex, { ...values, estateId: this.estateId });
  }

  async get<T = Row>(table: string, id: string, what = 'Data'): Promise<T> {
    const row = await this.find<T>(table, id);
    if (!row) throw new NotFoundError(what);
    return row;
  }

  /** A mutable reference row (units, residents, settings): gets updated_at and may be tombstoned later. */
  async insert<T = Row>(table: string, values: Row, action = `${table}.create`): Promise<T> {
    const at = nowIso();
    const row = { id: newId(), ...values, estate_id: this.estateId, created_at: at, updated_at: at };
    return this.transaction(async (tx) => {
      await insertValues(tx.knex, table, [definedOnly(row)]);
      await tx.audit(action, table, row.id as string, undefined, row, 'insert');
      return row as unknown as T;
    });
  }

  /**
   * Many mutable reference rows at once (a spreadsheet import): multi-row inserts, each row journaled exactly as
   * `insert` journals it. Every row must name the same columns; a row may bring its own `id` so later rows can
   * point at it.
   */
  async insertMany<T = Row>(table: string, rows: Row[], action = `${table}.create`): Promise<T[]> {
    const at = nowIso();
    const full = rows.map((values) => ({ id: newId(), ...values, estate_id: this.estateId, created_at: at, updated_at: at }));
    return this.transaction(async (tx) => {
      await insertValues(tx.knex, table, full);
      for (const row of full) await tx.audit(action, table, row.id, undefined, row, 'insert');
      return full as unknown as T[];
    });
  }

  /** A money record (invoice, payment, cash-book entry): written once, never updated or deleted. */
  async appendOnly<T = Row>(table: string, values: Row, action = `${table}.create`): Promise<T> {
    const row = { id: newId(), created_at: nowIso(), ...values, estate_id: this.estateId };
    return this.transaction(async (tx) => {
      await insertValues(tx.knex, table, [definedOnly(row)]);
      await tx.audit(action, table, row.id as string, undefined, row, 'insert');
      return row as unknown as T;
    });
  }

  /**
   * Append-only rows of several tables in one statement on PostgreSQL (a payment, its allocations and its credit
   * movement: see bulk-insert.ts `insertTogether`), each journaled as `appendOnly` journals it when its part names an
   * `action`, else with its outbox rows only, as `ledger-rows.ts` does. Parts in order: a row may reference an earlier
   * part's. Returns each part's rows as written.
   */
  async appendTogether(parts: Array<{ table: string; rows: Row[]; action?: string }>): Promise<Row[][]> {
    const at = nowIso();
    const written = parts.map((part) => part.rows.map((r) => ({ id: newId(), created_at: at, ...r, estate_id: this.estateId })));
    return this.transaction(async (tx) => {
      await insertTogether(
        tx.knex,
        // One row as appendOnly writes it; several as insertValues does (the first row's columns, undefined as null).
        parts.map((part, i) => ({ table: part.table, rows: written[i].length === 1 ? [definedOnly(written[i][0])] : written[i] })),
      );
      for (const [i, part] of parts.entries()) {
        if (part.action) for (const row of written[i]) await tx.audit(part.action, part.table, row.id as string, undefined, row, 'insert');
        else if (written[i].length)
          await tx.outboxMany(
            part.table,
            written[i].map((r) => r.id as string),
            'insert',
          );
      }
      return written;
    });
  }

  /**
   * A row nothing in this transaction reads back (a request's idempotency record), written with the journal just
   * before the commit: on PostgreSQL in the journal's own statement. Not journaled itself. Outside a transaction,
   * written now.
   */
  async writeAtCommit(table: string, row: Row): Promise<void> {
    if (!this.journal) {
      await insertValues(this.knex, table, [row]);
      return;
    }
    const pending = (this.journal.atCommit ??= []);
    const last = pending[pending.length - 1];
    if (last?.table === table && Object.keys(last.rows[0]).join() === Object.keys(row).join()) last.rows.push(row);
    else pending.push({ table, rows: [row] });
  }

  async update<T = Row>(table: string, id: string, patch: Row, action = `${table}.update`): Promise<T> {
    return this.transaction(async (tx) => {
      const before = await tx.get<Row>(table, id);
      const changes: Row = { ...patch, updated_at: nowIso() };
      delete changes.id;
      delete changes.estate_id;
      await tx.query(table).where(`${table}.id`, id).update(changes);
      const after = { ...before, ...changes };
      await tx.audit(action, table, id, before, after, 'update');
      return after as T;
    });
  }

  /**
   * Changes this estate's rows of `table` that `filter` selects, each journaled; returns them as they are now. For
   * tables without `updated_at` (tokens, shifts) and conditional updates that check how many rows they changed.
   */
  async updateWhere(table: string, filter: RowFilter, patch: Row, action = `${table}.update`): Promise<Row[]> {
    return this.transaction(async (tx) => {
      const changes: Row = { ...patch };
      delete changes.id;
      delete changes.estate_id;
      const changed = await changeRows(
        tx.knex as Knex.Transaction,
        table,
        (q) => filter(q.where(`${table}.estate_id`, this.estateId)),
        changes,
      );
      for (const { before, after } of changed) await tx.audit(action, table, before.id as string, before, after, 'update');
      return changed.map((c) => c.after);
    });
  }

  /**
   * Inserts a row unless another with the same `conflictColumns` exists (two first uses at once); the row when this
   * one was written, else undefined. Only a written row is journaled.
   */
  async insertUnlessExists<T = Row>(
    table: string,
    values: Row,
    conflictColumns: readonly string[],
    action = `${table}.create`,
  ): Promise<T | undefined> {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    const row: Row = definedOnly({ id: newId(), created_at: nowIso(), ...values, estate_id: this.estateId });
    const columns = Object.keys(row);
    // A caller-made id (deterministic: derived from the same identity as the conflict columns) can collide too. On
    // PostgreSQL two first inserts at once may meet on the primary key before the named constraint, which ON CONFLICT
    // with a target does not cover (a unique violation, not "nothing"); without a target any collision is "exists".
    const target =
      values.id !== undefined && !conflictColumns.includes('id') ? '' : ` (${conflictColumns.map((c) => `"${c}"`).join(', ')})`;
    const sql =
      `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values (${columns.map(() => '?').join(', ')}) ` +
      `on conflict${target} do nothing returning "id"`;
    return this.transaction(async (tx) => {
      const inserted = await tx.rows(
        sql,
        columns.map((c) => row[c]),
      );
      if (!inserted.length) return undefined;
      await tx.audit(action, table, row.id as string, undefined, row, 'insert');
      return row as T;
    });
  }

  /**
   * `insertUnlessExists` for many rows at once (the day's reminders): multi-row `insert … on conflict do nothing`,
   * each row written journaled exactly as `insertUnlessExists` journals it; answers the rows written. Pass the rows
   * in one fixed order (sorted by `conflictColumns`) so two writers on PostgreSQL cannot deadlock on the unique index.
   */
  async insertManyUnlessExists<T = Row>(
    table: string,
    rows: Row[],
    conflictColumns: readonly string[],
    action = `${table}.create`,
  ): Promise<T[]> {
    if (!/^[a-z_]+$/.test(table)) throw new Error(`not a table name: ${table}`);
    const at = nowIso();
    const full = rows.map((values) => ({ id: newId(), created_at: at, ...values, estate_id: this.estateId }));
    return this.transaction(async (tx) => {
      const ids = await insertValuesUnlessExists(tx.knex, table, full, conflictColumns);
      const written = full.filter((row) => ids.has(row.id));
      for (const row of written) await tx.audit(action, table, row.id, undefined, row, 'insert');
      return written as unknown as T[];
    });
  }

  async softDelete(table: string, id: string, action = `${table}.delete`): Promise<void> {
    await this.transaction(async (tx) => {
      const before = await tx.get<Row>(table, id);
      const at = nowIso();
      await tx.query(table).where(`${table}.id`, id).update({ deleted_at: at, updated_at: at });
      await tx.audit(action, table, id, before, { ...before, deleted_at: at, updated_at: at }, 'delete');
    });
  }

  /**
   * Tells the screens watching this estate (kiosks, portals, the office) that `topic` data changed, once the
   * transaction this store is in commits; on every server process (db/live-changes.ts).
   */
  async announce(topic: LiveTopic, unitId: string | null = null): Promise<void> {
    await announceChange(this.knex, { estate_id: this.estateId, topic, unit_id: unitId });
  }

  /** Tells sync of outbox rows written outside the journal (changes applied from another site), once this commits. */
  async announceOutbox(): Promise<void> {
    await announceOutbox(this.knex, [this.estateId]);
  }

  async audit(action: string, table: string, rowId: string, before?: unknown, after?: unknown, op?: OutboxOp): Promise<void> {
    const entry = { action, table, rowId, before, after, op: op && isSynced(table) ? op : undefined };
    if (!this.journal) return writeAuditAndOutbox(this.knex, this.sync, this.actor, this.estateId, entry);
    const at = nowIso();
    this.journal.audit.push(auditRow(this.actor, this.estateId, entry, at));
    if (entry.op) {
      this.journal.outbox.push(outboxRow(this.sync, this.estateId, table, rowId, entry.op, at, changedColumns(entry.op, before, after)));
    }
  }

  /** Outbox rows only, for bulk writes that record one summary audit row (billing runs) instead of one per row. */
  async outboxMany(table: string, rowIds: string[], op: OutboxOp): Promise<void> {
    const at = nowIso();
    const rows = rowIds.map((rowId) => outboxRow(this.sync, this.estateId, table, rowId, op, at));
    if (this.journal) for (const row of rows) this.journal.outbox.push(row);
    else {
      await insertValues(this.knex, 'outbox', rows);
      await announceOutbox(this.knex, [this.estateId]);
    }
  }

  /** Next value of a per-estate counter (invoice and payment numbers); call inside the transaction that uses it. */
  async nextSequence(name: string, by = 1): Promise<number> {
    return this.transaction(async (tx) => {
      const [row] = await tx.rows<{ value: number | string }>(NEXT_SEQUENCE_SQL, [this.estateId, name, by]);
      return Number(row.value);
    });
  }
}
