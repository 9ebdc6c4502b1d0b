import type { Knex } from 'knex';
import { dialectOf } from '../db/knex.ts';
import { createHash } from 'node:crypto';
import { loadFile } from '../files/index.ts';
import { BATCH_MAX_BYTES, BATCH_SIZE, BINARY_COLUMNS, NOT_CARRIED_TABLES, rowForTransport } from './merge-policy.ts';
import { withoutSiteLocal } from './apply-changes.ts';
import { fieldVersionsOf, mergesPerField, versionsForTransport } from './field-versions.ts';
import type { SyncChange } from './sync-change.ts';
import { withAccountRows } from './account-sync.ts';

type Row = Record<string, unknown>;

export interface OutboxEntry {
  id: string;
  table_name: string;
  row_id: string;
  op: SyncChange['op'];
  hlc: string;
  site_id: string;
}

/**
 * Outbox entries as changes: one per row (its last operation and newest clock value), carrying the row as it is now.
 * A row that no longer exists is left out (rows are tombstoned, not deleted, so this does not happen in practice).
 */
export async function entriesAsChanges(
  knex: Knex | Knex.Transaction,
  estateId: string,
  entries: readonly OutboxEntry[],
  opts: { platformAdminsOutside: boolean },
): Promise<SyncChange[]> {
  const changes = await changesOf(knex, entries);
  return withAccountRows(knex, estateId, changes, (ids) => accountChanges(knex, ids), opts.platformAdminsOutside);
}

/** The accounts as they are now, each as a change with the clock value of its newest journal row (none: left out). */
async function accountChanges(knex: Knex | Knex.Transaction, userIds: readonly string[]): Promise<Map<string, SyncChange>> {
  const newest = new Map<string, OutboxEntry>();
  for (let i = 0; i < userIds.length; i += 200) {
    const rows = (await knex('outbox')
      .where('table_name', 'users')
      .whereIn('row_id', userIds.slice(i, i + 200))
      .select('id', 'table_name', 'row_id', 'op', 'hlc', 'site_id')) as OutboxEntry[];
    for (const row of rows) {
      const seen = newest.get(row.row_id);
      if (!seen || row.hlc > seen.hlc) newest.set(row.row_id, row);
    }
  }
  const changes = await changesOf(knex, [...newest.values()]);
  return new Map(changes.map((c) => [c.row_id, c]));
}

async function changesOf(knex: Knex | Knex.Transaction, entries: readonly OutboxEntry[]): Promise<SyncChange[]> {
  const latest = new Map<string, OutboxEntry>();
  for (const entry of entries) {
    const key = `${entry.table_name}\u0000${entry.row_id}`;
    const seen = latest.get(key);
    // The row keeps the place of its first change (a unit before the occupancy that names it, even when the unit was
    // edited after) and takes the operation and clock value of its last.
    latest.set(key, seen ? { ...entry, hlc: seen.hlc > entry.hlc ? seen.hlc : entry.hlc } : entry);
  }
  const byTable = new Map<string, string[]>();
  for (const entry of latest.values()) byTable.set(entry.table_name, [...(byTable.get(entry.table_name) ?? []), entry.row_id]);
  const rows = new Map<string, Row>();
  for (const [table, ids] of byTable) {
    for (let i = 0; i < ids.length; i += 200) {
      for (const row of (await knex(table).whereIn('id', ids.slice(i, i + 200))) as Row[]) rows.set(`${table}\u0000${row.id}`, row);
    }
  }
  const changes: SyncChange[] = [];
  for (const [key, entry] of latest) {
    const row = rows.get(key);
    if (!row) continue;
    await withFileBytes(entry.table_name, row);
    changes.push({
      table: entry.table_name,
      row_id: entry.row_id,
      op: entry.op,
      hlc: entry.hlc,
      site_id: entry.site_id,
      row: rowForTransport(entry.table_name, withoutSiteLocal(entry.table_name, row)),
    });
  }
  // Reference rows carry each column's version, so the receiver merges them column by column.
  for (const [table, ids] of byTable) {
    if (!mergesPerField(table)) continue;
    const held = ids.map((id) => rows.get(`${table}\u0000${id}`)).filter((r): r is Row => r !== undefined);
    const versions = await fieldVersionsOf(knex, table, held);
    for (const change of changes) {
      const own = change.table === table ? versions.get(change.row_id) : undefined;
      if (own) Object.assign(change, versionsForTransport(own));
    }
  }
  return changes;
}

/** A file whose bytes this site keeps in its bucket travels with them, as every site's rows do (server/files/). */
async function withFileBytes(table: string, row: Row): Promise<void> {
  const columns = BINARY_COLUMNS[table];
  if (!columns || row.stored_in !== 'bucket') return;
  const bytes = await loadFile(String(row.estate_id), {
    id: String(row.id),
    stored_in: 'bucket',
    sha256: (row.sha256 as string | null) ?? null,
    bytes: null,
  });
  for (const column of columns) row[column] = bytes;
}

/** One push: its id, its body already encoded, and the outbox rows it acknowledges once the hosted instance answers. */
export interface PushBatch {
  batch_id: string;
  body: string;
  changes: number;
  entry_ids: string[];
}

/** A batch's id follows from its outbox rows, so the same rows sent again after a crash are recognised as one batch. */
export function batchId(entryIds: readonly string[]): string {
  const hash = createHash('sha256');
  for (const id of entryIds) hash.update(id).update('\n');
  return hash.digest('hex');
}

/**
 * Cuts pending outbox entries (and the changes made of them, in the same order) into push bodies of at most
 * `maxBytes` each, a change larger than that alone in its own. Each change is encoded once, here. The cut depends
 * only on the rows, so the same rows sent again are cut the same and keep their batch ids. Entries whose row is gone
 * (no change) ride with the first batch, so they are acknowledged too.
 */
export function cutPushBatches(
  entries: readonly OutboxEntry[],
  changes: readonly SyncChange[],
  maxBytes: number = BATCH_MAX_BYTES,
): PushBatch[] {
  const keyOf = (table: string, rowId: string) => `${table}\u0000${rowId}`;
  const entriesOf = new Map<string, string[]>();
  for (const entry of entries) {
    const key = keyOf(entry.table_name, entry.row_id);
    entriesOf.set(key, [...(entriesOf.get(key) ?? []), entry.id]);
  }
  const groups: { parts: string[]; bytes: number; keys: string[] }[] = [];
  let current: (typeof groups)[number] | undefined;
  for (const change of changes) {
    const part = JSON.stringify(change);
    const bytes = Buffer.byteLength(part) + 1;
    if (!current || (current.parts.length > 0 && current.bytes + bytes > maxBytes)) {
      current = { parts: [], bytes: 0, keys: [] };
      groups.push(current);
    }
    current.parts.push(part);
    current.bytes += bytes;
    current.keys.push(keyOf(change.table, change.row_id));
  }
  const carried = new Set(groups.flatMap((g) => g.keys));
  const orphans = entries.filter((e) => !carried.has(keyOf(e.table_name, e.row_id))).map((e) => e.id);
  if (!groups.length && orphans.length) groups.push({ parts: [], bytes: 0, keys: [] });
  return groups.map((group, index) => {
    const ids = new Set([...group.keys.flatMap((key) => entriesOf.get(key) ?? []), ...(index === 0 ? orphans : [])]);
    // In the outbox's own order, so the id does not depend on how the rows were grouped into changes.
    const entryIds = entries.filter((e) => ids.has(e.id)).map((e) => e.id);
    const id = batchId(entryIds);
    return {
      batch_id: id,
      body: `{"batch_id":${JSON.stringify(id)},"changes":[${group.parts.join(',')}]}`,
      changes: group.parts.length,
      entry_ids: entryIds,
    };
  });
}

/**
 * The desktop's own changes of the estate not yet acknowledged by the hosted instance, oldest clock value first: the
 * estate's rows, and the account-wide changes (a password changed by its owner, journaled for no estate) of the
 * estate's members.
 */
export async function pendingEntries(knex: Knex | Knex.Transaction, estateId: string, siteId: string): Promise<OutboxEntry[]> {
  const columns = ['id', 'table_name', 'row_id', 'op', 'hlc', 'site_id'];
  const [estate, accounts] = await Promise.all([
    pendingQuery(knex, siteId).where('estate_id', estateId).orderBy('hlc').limit(BATCH_SIZE).select(columns),
    pendingQuery(knex, siteId).where(membersAccountRows(knex, estateId)).orderBy('hlc').limit(BATCH_SIZE).select(columns),
  ]);
  if (!accounts.length) return estate;
  return [...estate, ...accounts].sort((a, b) => (a.hlc < b.hlc ? -1 : a.hlc > b.hlc ? 1 : 0)).slice(0, BATCH_SIZE);
}

export async function pendingCount(knex: Knex | Knex.Transaction, estateId: string, siteId: string): Promise<number> {
  const row = (await pendingQuery(knex, siteId)
    .where((q) => q.where('estate_id', estateId).orWhere(membersAccountRows(knex, estateId)))
    .count({ n: '*' })
    .first()) as { n: number | string };
  return Number(row.n);
}

function pendingQuery(knex: Knex | Knex.Transaction, siteId: string): Knex.QueryBuilder {
  return knex('outbox')
    .where({ site_id: siteId })
    .whereNull('synced_at')
    .whereNotIn('table_name', NOT_CARRIED_TABLES as string[]);
}

/** Outbox rows of account-wide changes (no estate) to accounts that are members of the estate. */
function membersAccountRows(knex: Knex | Knex.Transaction, estateId: string) {
  return (q: Knex.QueryBuilder) =>
    q
      .whereNull('estate_id')
      .where('table_name', 'users')
      .whereIn('row_id', knex('memberships').where('estate_id', estateId).select('user_id'));
}

/**
 * Reads a page of the change log walking the (estate_id, txid, seq) index from the cursor. A first upload journals
 * 100,000 rows in a minute, faster than PostgreSQL's statistics follow; with a table it still believed small, the
 * planner fetched every entry after the cursor and sorted them for each page of 500 (70 ms a page, the upload's
 * largest cost), where the index hands them over in order (0.2 ms). Bitmap scans and sorts are priced out for this
 * transaction only; with no index to use the planner still sorts.
 */
function pageInIndexOrder<T>(read: (trx: Knex.Transaction) => Promise<T>) {
  return async (trx: Knex.Transaction): Promise<T> => {
    await trx.raw('set local enable_bitmapscan = off; set local enable_sort = off');
    return read(trx);
  };
}

/** Entries one pull may walk past without sending them (the asking site's own, tables not carried) before it answers. */
const MOST_SCANNED_PER_PULL = 50_000;
/** Windows of the change log after the first page grow fourfold up to this many entries. */
const LARGEST_WINDOW = 20_000;

/** What a window of the change log reads of each entry: enough to place it and to tell whether the asker wants it. */
type Scanned = { id: string; site_id: string; table_name: string; txid: string | number; seq: string | number };

/**
 * The hosted instance's change log of one estate after `cursor`, without the asking site's own changes.
 *
 * Why not order by clock value or by a plain sequence: on PostgreSQL two transactions take their values in one order
 * and may commit in the other, so a reader that saw the later value and moved its cursor past it would never see the
 * earlier one, committed a moment after. Each outbox row therefore carries its transaction's id (`txid`, from
 * `pg_current_xact_id()`). Every transaction with an id below the oldest one still running
 * (`pg_snapshot_xmin(pg_current_snapshot())`) has finished, so the rows below that line are final: no row can ever
 * appear there again. The pull reads only those, ordered by (txid, seq), and the cursor is the last (txid, seq) read,
 * so it only ever moves over settled ground. A long transaction holds the line back (changes arrive later, none are
 * lost). SQLite has one writer at a time, so insertion order (rowid) is commit order there.
 *
 * The line is taken once per pull and every read of the pull stays below it: the estate's rows and the members'
 * account rows are read by two statements, and a line taken by each could let the later one's cursor pass rows the
 * earlier one could not see yet.
 *
 * After a desktop's first upload the log holds its own 100,000 changes, which a pull does not send back. A pull reads
 * windows of light columns (the first one page long, then growing) and walks on until it has a page of wanted
 * entries, the log ends, or it has walked past MOST_SCANNED_PER_PULL entries; the cursor is the last entry walked
 * over, so the desktop crosses its own changes in a few requests instead of one per 500. Only the wanted entries are
 * then read whole.
 */
export async function changeLogAfter(
  knex: Knex,
  estateId: string,
  excludeSiteId: string,
  cursor: string,
): Promise<{ changes: SyncChange[]; cursor: string; more: boolean }> {
  const pg = dialectOf(knex) === 'postgres';
  const isWanted = (e: Scanned) => e.site_id !== excludeSiteId && !NOT_CARRIED_TABLES.includes(e.table_name);
  const walk = async (k: Knex | Knex.Transaction) => {
    const line = pg ? await settledLine(k) : null;
    let from = parseCursor(cursor);
    const wanted: Scanned[] = [];
    let last: Scanned | undefined;
    let walked = 0;
    let more = false;
    for (let size = BATCH_SIZE; ; size = Math.min(size * 4, LARGEST_WINDOW, MOST_SCANNED_PER_PULL - walked)) {
      const { entries, full } = await windowAfter(k, estateId, from, line, size);
      let taken = 0;
      for (; taken < entries.length && wanted.length < BATCH_SIZE; taken++) {
        last = entries[taken];
        if (isWanted(last)) wanted.push(last);
      }
      walked += taken;
      if (wanted.length === BATCH_SIZE) {
        more = taken < entries.length || full;
        break;
      }
      if (!full || !last) break;
      if (walked >= MOST_SCANNED_PER_PULL) {
        more = true;
        break;
      }
      from = [String(last.txid), String(last.seq)];
    }
    return { entries: await entriesById(k, wanted), last, more };
  };
  const { entries, last, more } = pg && !knex.isTransaction ? await knex.transaction(pageInIndexOrder(walk)) : await walk(knex);
  if (!last) return { changes: [], cursor, more: false };
  return {
    changes: await entriesAsChanges(knex, estateId, entries, { platformAdminsOutside: true }),
    cursor: `${last.txid}:${last.seq}`,
    more,
  };
}

/** Below this transaction id every transaction has finished (see `changeLogAfter`). */
async function settledLine(knex: Knex | Knex.Transaction): Promise<string> {
  const result = (await knex.raw('select pg_snapshot_xmin(pg_current_snapshot())::text as line')) as { rows: { line: string }[] };
  return result.rows[0].line;
}

/**
 * Up to `size` entries after `from` in commit order: the estate's rows and the account-wide changes of its members'
 * accounts (journaled for no estate), two reads in the same order, merged, so each keeps its index. `full`: a read
 * stopped at `size`, so the log may go on after the last entry.
 */
async function windowAfter(
  knex: Knex | Knex.Transaction,
  estateId: string,
  [txid, seq]: [string, string],
  line: string | null,
  size: number,
): Promise<{ entries: Scanned[]; full: boolean }> {
  const after = (query: Knex.QueryBuilder) => {
    if (line !== null) {
      query
        // A row comparison, not `txid > ? or (txid = ? and seq > ?)`: PostgreSQL starts the (estate_id, txid, seq)
        // index scan at the cursor instead of walking every earlier entry of the estate on each page.
        .whereRaw('("txid", "seq") > (?::bigint, ?::bigint)', [txid, seq])
        .whereRaw('"txid" < ?::bigint', [line])
        .orderBy([{ column: 'txid' }, { column: 'seq' }])
        .select('id', 'site_id', 'table_name', 'txid', 'seq');
    } else {
      query.where('rowid', '>', seq).orderBy('rowid').select('id', 'site_id', 'table_name', knex.raw('0 as txid'), 'rowid as seq');
    }
    return query.limit(size) as Promise<Scanned[]>;
  };
  const [estate, accounts] = await Promise.all([
    after(knex('outbox').where('estate_id', estateId)),
    after(knex('outbox').where(membersAccountRows(knex, estateId))),
  ]);
  const full = estate.length === size || accounts.length === size;
  if (!accounts.length) return { entries: estate, full };
  const key = (e: Scanned): [bigint, bigint] => [BigInt(e.txid), BigInt(e.seq)];
  // Each read holds every entry up to its own last one, so the first `size` of the two together are all there are.
  const entries = [...estate, ...accounts]
    .sort((a, b) => {
      const [at, as] = key(a);
      const [bt, bs] = key(b);
      return at !== bt ? (at < bt ? -1 : 1) : as < bs ? -1 : as > bs ? 1 : 0;
    })
    .slice(0, size);
  return { entries, full };
}

/** The whole outbox rows of scanned entries, in their order. */
async function entriesById(knex: Knex | Knex.Transaction, scanned: readonly Scanned[]): Promise<OutboxEntry[]> {
  const byId = new Map<string, OutboxEntry>();
  for (let i = 0; i < scanned.length; i += BATCH_SIZE) {
    const ids = scanned.slice(i, i + BATCH_SIZE).map((e) => e.id);
    const rows = (await knex('outbox').whereIn('id', ids).select('id', 'table_name', 'row_id', 'op', 'hlc', 'site_id')) as OutboxEntry[];
    for (const row of rows) byId.set(row.id, row);
  }
  return scanned.map((e) => byId.get(e.id)).filter((e): e is OutboxEntry => e !== undefined);
}

function parseCursor(cursor: string): [string, string] {
  const m = /^(\d{1,20}):(\d{1,20})$/.exec(cursor);
  return m ? [m[1], m[2]] : ['0', '0'];
}
