import type { Knex } from 'knex';
import { dialectOf } from './knex.ts';
import { directSqliteWriteEach, rawRows } from './sqlite-direct.ts';

type Row = Record<string, unknown>;

// SQLite allows 32,766 bound variables per statement (PostgreSQL 65,535); stay well under both.
const MAX_BINDINGS = 30_000;

/**
 * A multi-row `insert … values (…), (…)`. knex compiles multi-row inserts for SQLite as `select … union all
 * select …`, which costs noticeably more to build and parse at billing-run sizes; VALUES lists work on both
 * SQLite and PostgreSQL. Every row must have the same columns as the first.
 */
export async function insertValues(knex: Knex | Knex.Transaction, table: string, rows: Row[]): Promise<void> {
  if (!rows.length) return;
  const columns = Object.keys(rows[0]);
  const perRow = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const fill = (i: number, values: unknown[]) => {
    const row = rows[i];
    for (let c = 0; c < columns.length; c++) values[c] = row[columns[c]] ?? null;
  };
  if (rows.length > 1 && directSqliteWriteEach(knex, head + perRow, rows.length, fill)) return;
  const batch = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const bindings: Knex.Value[] = [];
    for (const row of slice) for (const c of columns) bindings.push(row[c] === undefined ? null : (row[c] as Knex.Value));
    await rawRows(knex, head + slice.map(() => perRow).join(', '), bindings);
  }
}

/**
 * `insertValues` for rows that may exist already (planning run again, two processes planning at once): each row whose
 * `conflictColumns` match an existing one is skipped (`on conflict … do nothing`, SQLite ≥ 3.35 and PostgreSQL, where
 * a concurrent insert of the same key waits for the other transaction rather than failing). Answers the ids written.
 * Rows should come in one fixed order (sorted by the conflict columns) so two writers on PostgreSQL take the unique
 * index's locks in the same order and cannot deadlock.
 */
export async function insertValuesUnlessExists(
  knex: Knex | Knex.Transaction,
  table: string,
  rows: Row[],
  conflictColumns: readonly string[],
): Promise<Set<string>> {
  const written = new Set<string>();
  if (!rows.length) return written;
  const columns = Object.keys(rows[0]);
  const perRow = `(${columns.map(() => '?').join(', ')})`;
  const head = `insert into "${table}" (${columns.map((c) => `"${c}"`).join(', ')}) values `;
  const tail = ` on conflict (${conflictColumns.map((c) => `"${c}"`).join(', ')}) do nothing returning "id"`;
  const batch = Math.max(1, Math.floor(MAX_BINDINGS / columns.length));
  for (let i = 0; i < rows.length; i += batch) {
    const slice = rows.slice(i, i + batch);
    const bindings: Knex.Value[] = [];
    for (const row of slice) for (const c of columns) bindings.push(row[c] === undefined ? null : (row[c] as Knex.Value));
    for (const { id } of await rawRows<{ id: string }>(knex, head + slice.map(() => perRow).join(', ') + tail, bindings)) {
      written.add(id);
    }
  }
  return written;
}

export interface TableRows {
  table: string;
  rows: Row[];
}

/**
 * Rows of several tables written by one statement on PostgreSQL: each table's multi-row insert is a data-modifying
 * `with` part, and `finalSelect` (a `select …` with `?` placeholders, e.g. the commit's notifications) the statement's
 * own query. PostgreSQL checks foreign keys once the whole statement has run, so a part may reference rows another
 * part inserts. Each round trip made while an estate-wide lock is held (payment numbers, the cash book) delays every
 * other writer of the estate; this is one instead of one per table. Rows of one table must name the same columns.
 * Over the binding limit, on SQLite, or with one part and no select, it is `insertValues` for each table in order.
 */
export async function insertTogether(
  knex: Knex | Knex.Transaction,
  parts: TableRows[],
  finalSelect?: { sql: string; bindings: unknown[] },
): Promise<void> {
  const present = parts.filter((p) => p.rows.length);
  const columnsOf = (rows: Row[]) => Object.keys(rows[0]);
  const bindingCount = present.reduce((n, p) => n + p.rows.length * columnsOf(p.rows).length, 0) + (finalSelect?.bindings.length ?? 0);
  if (dialectOf(knex) !== 'postgres' || bindingCount > MAX_BINDINGS || present.length + (finalSelect ? 1 : 0) < 2) {
    for (const part of present) await insertValues(knex, part.table, part.rows);
    if (finalSelect) await rawRows(knex, finalSelect.sql, finalSelect.bindings);
    return;
  }
  const bindings: unknown[] = [];
  const ctes = present.map((part, i) => {
    const columns = columnsOf(part.rows);
    const perRow = `(${columns.map(() => '?').join(', ')})`;
    for (const row of part.rows) for (const c of columns) bindings.push(row[c] === undefined ? null : row[c]);
    return `w${i} as (insert into "${part.table}" (${columns.map((c) => `"${c}"`).join(', ')}) values ${part.rows.map(() => perRow).join(', ')})`;
  });
  if (finalSelect) bindings.push(...finalSelect.bindings);
  await rawRows(knex, `with ${ctes.join(', ')} ${finalSelect?.sql ?? 'select 1'}`, bindings);
}
