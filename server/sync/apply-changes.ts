import type { Knex } from 'knex';
import { nowIso } from '../db/clock.ts';
import { dialectOf } from '../db/knex.ts';
import { newId } from '../db/ids.ts';
import { estateTablesInOrder } from '../db/estate-tables.ts';
import { isSynced, SITE_LOCAL_COLUMNS } from '../db/journal-policy.ts';
import { auditRow, ScopedStore, SYSTEM_ACTOR } from '../db/scoped-store.ts';
import type { SyncContext } from '../db/sync-context.ts';
import { ArrivedFiles } from '../files/index.ts';
import { ConflictError, ForbiddenError } from '../http/errors.ts';
import { currentUnitsOf, reindexUnitSearch } from '../units/search-terms.ts';
import { noticeOverpaidInvoices } from '../ledger/index.ts';
import { appliedVersions, keepLosingValues, mergeIntoHeld } from './apply-reference.ts';
import { mergesPerField } from './field-versions.ts';
import { postArrivedMoneyFacts, POSTED_FACT_TABLES, type MoneyFact } from '../ledger/index.ts';
import { differsOnlyInIssue, incomingIssueWins } from './issue-merge.ts';
import { incomingWins, isAppendOnly, NOT_CARRIED_TABLES, rowFromTransport, sameFact } from './merge-policy.ts';
import type { SyncChange } from './sync-change.ts';
import { checkAccountChanges, endSessionsOfRemovedMembers, refusePlatformChange } from './account-sync.ts';

type Row = Record<string, unknown>;

export interface ApplyResult {
  applied: number;
  unchanged: number;
  conflicts: number;
  /** Cash-book entries this site wrote for money facts that arrived (only on the estate's home site). */
  posted?: number;
}

/** Whether sync carries changes of `table` in this step (see NOT_CARRIED_TABLES). */
export function isCarried(table: string): boolean {
  return /^[a-z_]+$/.test(table) && isSynced(table) && !NOT_CARRIED_TABLES.includes(table);
}

/** The row without the columns that describe only one site's use of it. */
export function withoutSiteLocal(table: string, row: Row): Row {
  const local = SITE_LOCAL_COLUMNS[table];
  if (!local) return row;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) if (!local.includes(k)) out[k] = v;
  return out;
}

/** SQLite binds no booleans; PostgreSQL reads 0/1 sent as text into a boolean column. */
function bindable(row: Row, sqlite: boolean): Row {
  if (!sqlite) return row;
  const out: Row = {};
  for (const [k, v] of Object.entries(row)) out[k] = typeof v === 'boolean' ? (v ? 1 : 0) : v;
  return out;
}

/**
 * Applies changes from another site of `estateId` inside `trx`, in the order given (clock order). Every change is
 * checked first: a table sync does not carry, or a row of another estate, refuses the whole batch (the caller's
 * transaction rolls back, nothing is written). Money rows are a union (same content: nothing to do; other content:
 * kept in sync_conflicts). Reference rows take the later clock value. An applied change is journaled with its origin
 * site and clock value, so the receiving site's change log carries it on and a later local edit sorts after it.
 * `acknowledged`: the desktop marks what it received as already sent, so it never travels back.
 */
export async function applyChanges(
  trx: Knex.Transaction,
  estateId: string,
  changes: readonly SyncChange[],
  opts: { acknowledged: boolean; sync: SyncContext },
): Promise<ApplyResult> {
  const sqlite = dialectOf(trx) !== 'postgres';
  const result: ApplyResult = { applied: 0, unchanged: 0, conflicts: 0 };
  for (const change of changes) {
    if (!isCarried(change.table)) {
      throw new ForbiddenError(`Tabel ${change.table} tidak ikut disinkronkan.`, 'SYNC_TABLE_REFUSED');
    }
    refusePlatformChange(change);
    // An account belongs to no estate: account-sync.ts decides what of it another site may write.
    if (change.row.id !== change.row_id || (change.table === 'users' ? 'estate_id' in change.row : change.row.estate_id !== estateId)) {
      throw new ForbiddenError('Perubahan ini milik perumahan lain dan ditolak.', 'SYNC_FOREIGN_ESTATE');
    }
  }
  const stored = changes.map((change) => rowFromTransport(change.table, change.row));
  if (stored.includes(null)) throw new ConflictError('SYNC_BATCH_REJECTED', 'Server awan menolak sebagian perubahan. Hubungi pengelola.');
  const heldBack = await checkAccountChanges(trx, estateId, changes);
  const removedMembers = new Set<string>();
  const at = nowIso();
  const touchedUnits = new Set<string>();
  const touchedResidents = new Set<string>();
  const touchedInvoices = new Set<string>();
  const losingValues: Row[] = [];
  const arrivedFacts: MoneyFact[] = [];
  // A first upload brings 100,000 rows: the rows held are read per table, new rows and the journal are written as
  // multi-row inserts instead of four round trips a row. A batch naming one row twice is applied row by row, so its
  // second change meets the first as before.
  const batched = new Set(changes.map((c) => rowKey(c.table, c.row_id))).size === changes.length;
  const heldRows = batched ? await heldRowsOf(trx, changes) : null;
  const writes = new PendingWrites(trx, batched, batched ? await tablesParentsFirst(trx) : []);
  // Proofs and attachments go where this instance keeps uploads (a bucket, or the row): server/files/README.md.
  const files = new ArrivedFiles(estateId);
  for (const [index, change] of changes.entries()) {
    if (heldBack.has(index)) {
      result.unchanged++;
      continue;
    }
    const row = withoutSiteLocal(change.table, stored[index]!);
    const held = heldRows
      ? heldRows.get(rowKey(change.table, change.row_id))
      : ((await trx(change.table).where({ id: change.row_id }).first()) as Row | undefined);
    if (held && change.table !== 'users' && held.estate_id !== estateId) {
      throw new ForbiddenError('Perubahan ini milik perumahan lain dan ditolak.', 'SYNC_FOREIGN_ESTATE');
    }
    // Columns a per-field merge took from the change, with their versions (undefined: the whole row).
    let taken: Map<string, string> | undefined;
    if (isAppendOnly(change.table)) {
      const reissued = held !== undefined && differsOnlyInIssue(change.table, row, held);
      if (held && !(reissued && incomingIssueWins(row, held))) {
        // A later issue of an invoice billed on two sites changes nothing: the earlier one is kept on every site.
        if (sameFact(row, held) || reissued) result.unchanged++;
        else {
          await keepForReview(trx, estateId, change, row, held, at);
          result.conflicts++;
        }
        continue;
      }
      if (held) {
        // The earlier issue replaces the one held; the replaced number and run stay where the office can review them.
        await keepForReview(trx, estateId, change, row, held, at);
        const patch = { ...row };
        delete patch.id;
        delete patch.estate_id;
        await writes.flush();
        await trx(change.table).where({ id: change.row_id }).update(bindable(patch, sqlite));
      } else await writes.insert(change.table, bindable(row, sqlite));
      if (POSTED_FACT_TABLES.includes(change.table)) arrivedFacts.push({ table: change.table as MoneyFact['table'], id: change.row_id });
    } else if (held && mergesPerField(change.table)) {
      await writes.flush();
      const merged = await mergeIntoHeld(trx, estateId, change, row, held);
      losingValues.push(...merged.losing);
      if (!merged.taken.size) {
        result.unchanged++;
        continue;
      }
      taken = merged.taken;
      await trx(change.table).where({ id: change.row_id }).update(bindable(merged.patch, sqlite));
    } else {
      if (held) {
        await writes.flush();
        const newest = (await trx('outbox').where({ table_name: change.table, row_id: change.row_id }).max('hlc as hlc').first()) as
          | { hlc: string | null }
          | undefined;
        if (!incomingWins(change.hlc, newest?.hlc ?? null)) {
          result.unchanged++;
          continue;
        }
        // Rows holding bytes merge whole (field-versions.ts), so a file is placed here, where its row is written.
        const patch = { ...files.place(change.table, row, held) };
        delete patch.id;
        delete patch.estate_id;
        await trx(change.table).where({ id: change.row_id }).update(bindable(patch, sqlite));
      } else await writes.insert(change.table, bindable(files.place(change.table, row), sqlite));
    }
    await writes.journal(
      'audit_log',
      auditRow(SYSTEM_ACTOR, estateId, { action: 'sync.apply', table: change.table, rowId: change.row_id, before: held, after: row }, at),
    );
    for (const [hlc, columns] of appliedVersions(change.hlc, taken)) {
      await writes.journal('outbox', {
        id: newId(),
        estate_id: estateId,
        table_name: change.table,
        row_id: change.row_id,
        op: change.op,
        hlc,
        site_id: change.site_id,
        created_at: at,
        synced_at: opts.acknowledged ? at : null,
        columns,
      });
    }
    result.applied++;
    if ((change.table === 'payment_allocations' || change.table === 'invoice_adjustments') && typeof row.invoice_id === 'string') {
      touchedInvoices.add(row.invoice_id);
    }
    if (change.table === 'memberships' && (row.deleted_at || row.deactivated_at)) removedMembers.add(String(row.user_id));
    if (change.table === 'units') touchedUnits.add(change.row_id);
    else if (change.table === 'residents') touchedResidents.add(change.row_id);
    else if (change.table === 'unit_occupancies') {
      for (const unitId of [row.unit_id, held?.unit_id]) if (typeof unitId === 'string') touchedUnits.add(unitId);
    }
  }
  await writes.flush();
  // What the hosted instance took from one desktop is news for the other sites of the estate waiting on its log.
  if (!opts.acknowledged && result.applied) await new ScopedStore(trx, estateId, SYSTEM_ACTOR, opts.sync).announceOutbox();
  // The unit search reads derived terms that are never synced: each site rebuilds them for what it received.
  if (touchedUnits.size || touchedResidents.size) {
    const store = new ScopedStore(trx, estateId, SYSTEM_ACTOR, opts.sync);
    await reindexUnitSearch(store, [...touchedUnits, ...(await currentUnitsOf(store, [...touchedResidents]))]);
  }
  // The cash book has one writer, the estate's home site: the money facts another site recorded are posted here, in
  // the transaction that applies them, once each (a fact held already is not in the list). Elsewhere nothing is posted.
  if (arrivedFacts.length) {
    result.posted = await postArrivedMoneyFacts(new ScopedStore(trx, estateId, SYSTEM_ACTOR, opts.sync), arrivedFacts);
  }
  // Money for one invoice taken on two sites while apart: the overflow is already the unit's credit by the balance
  // rule; the treasurer is told, once per payment, by whichever site sees it first (server/sync/README.md).
  if (touchedInvoices.size) {
    await noticeOverpaidInvoices(new ScopedStore(trx, estateId, SYSTEM_ACTOR, opts.sync), [...touchedInvoices]);
  }
  // A member removed or switched off on the other site, with no role left anywhere here, is signed out here too.
  if (removedMembers.size) await endSessionsOfRemovedMembers(trx, estateId, opts.sync, removedMembers, at);
  // Losing values of fields both sites changed while apart, kept once the batch's own rows are in (apply-reference.ts).
  if (losingValues.length) {
    result.conflicts += await keepLosingValues(new ScopedStore(trx, estateId, SYSTEM_ACTOR, opts.sync), losingValues);
  }
  // Last, once the database took every row of the batch: a refused batch never reaches the bucket, and a bucket out of
  // reach refuses the batch (503 FILE_STORAGE_UNAVAILABLE) so the caller's transaction writes nothing.
  await files.store();
  return result;
}

/** Both versions of a money row that arrived with other content than the row held, for the office to review. */
async function keepForReview(trx: Knex.Transaction, estateId: string, change: SyncChange, row: Row, held: Row, at: string): Promise<void> {
  await trx('sync_conflicts').insert({
    id: newId(),
    estate_id: estateId,
    table_name: change.table,
    row_id: change.row_id,
    site_id: change.site_id,
    hlc: change.hlc,
    incoming: JSON.stringify(row),
    existing: JSON.stringify(held),
    created_at: at,
  });
}

// The schema changes only with a migration, which a running server does not take: read once per backend.
const tableOrders = new Map<string, Promise<string[]>>();
function tablesParentsFirst(trx: Knex.Transaction): Promise<string[]> {
  const dialect = dialectOf(trx);
  let order = tableOrders.get(dialect);
  if (!order) {
    order = estateTablesInOrder(trx, { everyTable: true });
    order.catch(() => tableOrders.delete(dialect));
    tableOrders.set(dialect, order);
  }
  return order;
}

// Rows a statement: well under SQLite's 32,766 and PostgreSQL's 65,535 bound values for the widest synced table.
const ROWS_PER_STATEMENT = 200;

/** Adds `value` to the list kept under `key` (a batch groups hundreds of rows under one table). */
function appendTo<K, V>(lists: Map<K, V[]>, key: K, value: V): void {
  const list = lists.get(key);
  if (list) list.push(value);
  else lists.set(key, [value]);
}

function rowKey(table: string, rowId: string): string {
  return `${table}\u0000${rowId}`;
}

/** The rows already held for the changes, one query per table (tables were checked by `isCarried`). */
async function heldRowsOf(trx: Knex.Transaction, changes: readonly SyncChange[]): Promise<Map<string, Row>> {
  const byTable = new Map<string, string[]>();
  for (const c of changes) appendTo(byTable, c.table, c.row_id);
  const held = new Map<string, Row>();
  for (const [table, ids] of byTable) {
    for (let i = 0; i < ids.length; i += ROWS_PER_STATEMENT) {
      const rows = (await trx(table).whereIn('id', ids.slice(i, i + ROWS_PER_STATEMENT))) as Row[];
      for (const row of rows) held.set(rowKey(table, String(row.id)), row);
    }
  }
  return held;
}

/**
 * New rows and journal rows of a batch, written as multi-row inserts. New rows wait until the next update or merge
 * (or the end) and then go out table by table in the order the tables first appear; changes come in clock order, so a
 * row's parent is normally written first. When that order breaks a reference (a parent's table first appearing after
 * its child's), the grouped write is undone to its savepoint and the rows go out one by one in the batch's order, as
 * they always did. Unbatched, every write goes out at once.
 */
class PendingWrites {
  private rows: { table: string; row: Row }[] = [];
  private readonly journals = new Map<string, Row[]>();

  constructor(
    private readonly trx: Knex.Transaction,
    private readonly batched: boolean,
    /** Estate tables, parents before children (foreign keys). */
    private readonly order: readonly string[],
  ) {}

  async insert(table: string, row: Row): Promise<void> {
    if (!this.batched) return void (await this.trx(table).insert(row));
    this.rows.push({ table, row });
  }

  async journal(table: 'audit_log' | 'outbox', row: Row): Promise<void> {
    if (!this.batched) return void (await this.trx(table).insert(row));
    appendTo(this.journals, table, row);
  }

  async flush(): Promise<void> {
    const pending = this.rows;
    this.rows = [];
    if (pending.length) {
      const byTable = new Map<string, Row[]>();
      for (const { table, row } of pending) appendTo(byTable, table, row);
      // Parents before children: a batch that begins with a payment whose invoice comes later in it is still one
      // insert per table. Accounts and other tables without an estate come first; they are everyone's parents.
      const rank = (table: string) => this.order.indexOf(table);
      const tables = [...byTable.keys()].sort((a, b) => rank(a) - rank(b));
      try {
        await this.trx.transaction(async (savepoint) => {
          for (const table of tables) await insertChunked(savepoint, table, byTable.get(table)!);
        });
      } catch {
        for (const { table, row } of pending) await this.trx(table).insert(row);
      }
    }
    for (const [table, rows] of this.journals) await insertChunked(this.trx, table, rows);
    this.journals.clear();
  }
}

async function insertChunked(trx: Knex.Transaction, table: string, rows: Row[]): Promise<void> {
  for (let i = 0; i < rows.length; i += ROWS_PER_STATEMENT) await trx(table).insert(rows.slice(i, i + ROWS_PER_STATEMENT));
}
