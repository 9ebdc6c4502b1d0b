import type { Knex } from 'knex';
import { BINARY_COLUMNS, isAppendOnly } from './merge-policy.ts';
import { fieldVersions, mergedColumns, type FieldVersion, type OutboxVersionEntry } from './field-merge.ts';

type Row = Record<string, unknown>;

/**
 * Whether rows of `table` merge column by column: reference rows do; money rows are append-only facts, and rows
 * holding bytes (proof files, attachments) stay whole, a file being one value.
 */
export function mergesPerField(table: string): boolean {
  return !isAppendOnly(table) && !BINARY_COLUMNS[table];
}

/** Each column's version for rows of one table, from this site's outbox (rows without entries are left out). */
export async function fieldVersionsOf(
  knex: Knex | Knex.Transaction,
  table: string,
  rows: readonly Row[],
): Promise<Map<string, Map<string, FieldVersion>>> {
  const entries = new Map<string, OutboxVersionEntry[]>();
  const ids = rows.map((r) => r.id as string);
  for (let i = 0; i < ids.length; i += 200) {
    const found = (await knex('outbox')
      .where('table_name', table)
      .whereIn('row_id', ids.slice(i, i + 200))
      .select('row_id', 'hlc', 'site_id', 'columns')) as (OutboxVersionEntry & { row_id: string })[];
    for (const e of found) entries.set(e.row_id, [...(entries.get(e.row_id) ?? []), e]);
  }
  const out = new Map<string, Map<string, FieldVersion>>();
  for (const row of rows) {
    const own = entries.get(row.id as string);
    if (own) out.set(row.id as string, fieldVersions(mergedColumns(row), own));
  }
  return out;
}

/** The versions a change carries: each column's clock value, and the newest other site's version it had seen. */
export function versionsForTransport(versions: Map<string, FieldVersion>): {
  fields: Record<string, string>;
  seen: Record<string, string>;
} {
  const fields: Record<string, string> = {};
  const seen: Record<string, string> = {};
  for (const [column, v] of versions) {
    fields[column] = v.hlc;
    seen[column] = v.seen;
  }
  return { fields, seen };
}
