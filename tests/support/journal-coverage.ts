import type { Knex } from 'knex';
import { AUDIT_ONLY_TABLES, SITE_LOCAL_COLUMNS, SUMMARY_AUDITED_TABLES, UNJOURNALED_TABLES } from '../../server/db/journal-policy.ts';
import { tableNames } from './server.ts';

type Row = Record<string, unknown>;

/**
 * Stamps the server sets when it creates or changes a row. A row whose newest stamp is newer than its newest journal
 * row was changed by something that skipped the journal. Dates typed by people (paid_at, entry dates) and deadlines
 * (expires_at) are not stamps of a write and are left out.
 */
const WRITE_STAMPS = [
  'created_at',
  'updated_at',
  'deleted_at',
  'revoked_at',
  'accepted_at',
  'responded_at',
  'paired_at',
  'ended_at',
  'last_login_at',
  'used_at',
  'voided_at',
  'verified_at',
  'rejected_at',
  'reviewed_at',
  'closed_at',
  'read_at',
  'printed_at',
];

function stamp(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  return String(value);
}

interface JournalMark {
  count: number;
  newestAt: string;
  newestOp?: string;
  newestHlc?: string;
}

function newest(rows: Row[], idColumn: string, withOp: boolean): Map<string, JournalMark> {
  const marks = new Map<string, JournalMark>();
  for (const r of rows) {
    const id = String(r[idColumn]);
    const at = stamp(r.created_at) ?? '';
    const hlc = withOp ? String(r.hlc) : undefined;
    const mark = marks.get(id);
    if (!mark) {
      marks.set(id, { count: 1, newestAt: at, newestOp: r.op as string | undefined, newestHlc: hlc });
      continue;
    }
    mark.count++;
    if (at > mark.newestAt) mark.newestAt = at;
    // The HLC orders a row's outbox entries even when two fall in one millisecond.
    if (withOp && hlc! > mark.newestHlc!) Object.assign(mark, { newestOp: r.op, newestHlc: hlc });
  }
  return marks;
}

/**
 * Every row of every data table measured against the journal, computed from the database alone: a row without an
 * outbox row (synced tables) or without an audit row, whose newest outbox operation disagrees with its tombstone, or
 * that changed after its newest journal row. Tables are listed from the database, so a new table or a new write path
 * that skips the stores shows up here without anyone naming it. Returns one line per gap; empty means covered.
 */
export async function journalGaps(knex: Knex): Promise<string[]> {
  const gaps: string[] = [];
  for (const table of await tableNames(knex)) {
    // Tables a test creates for itself (`test_…`, e.g. the jobs suite's effect log) are not the product's data.
    if (UNJOURNALED_TABLES.includes(table) || table.startsWith('test_')) continue;
    const rows = (await knex(table).select('*')) as Row[];
    if (!rows.length) continue;
    if (!('id' in rows[0])) {
      gaps.push(
        `${table}: has no id column, so the journal cannot name its rows (list it in server/db/journal-policy.ts if it is infrastructure)`,
      );
      continue;
    }
    const synced = !AUDIT_ONLY_TABLES.includes(table);
    const ownAudit = !SUMMARY_AUDITED_TABLES.includes(table);
    const outbox = synced
      ? newest(await knex('outbox').where({ table_name: table }).select('row_id', 'op', 'hlc', 'created_at'), 'row_id', true)
      : null;
    const audit = newest(await knex('audit_log').where({ entity_table: table }).select('entity_id', 'created_at'), 'entity_id', false);
    for (const row of rows) {
      const id = String(row.id);
      const latest = (columns: readonly string[]) =>
        columns
          .map((c) => stamp(row[c]))
          .filter((v): v is string => v !== null)
          .sort()
          .pop() ?? '';
      const changedAt = latest(WRITE_STAMPS);
      // A change to site-local columns only (a sign-in's time) is audited but not synced.
      const local = SITE_LOCAL_COLUMNS[table] ?? [];
      const syncedChangeAt = latest(WRITE_STAMPS.filter((c) => !local.includes(c)));
      const o = outbox?.get(id);
      if (outbox && !o) gaps.push(`${table} ${id}: no outbox row`);
      if (o) {
        if ('deleted_at' in row) {
          const tombstoned = row.deleted_at !== null && row.deleted_at !== undefined;
          if (tombstoned !== (o.newestOp === 'delete'))
            gaps.push(`${table} ${id}: newest outbox op is ${o.newestOp}, but deleted_at is ${stamp(row.deleted_at)}`);
        }
        if (syncedChangeAt > o.newestAt)
          gaps.push(`${table} ${id}: changed at ${syncedChangeAt}, after its newest outbox row (${o.newestAt})`);
      }
      const a = audit.get(id);
      if (ownAudit && !a) gaps.push(`${table} ${id}: no audit row`);
      if (ownAudit && a && changedAt > a.newestAt)
        gaps.push(`${table} ${id}: changed at ${changedAt}, after its newest audit row (${a.newestAt})`);
    }
  }
  return gaps;
}
