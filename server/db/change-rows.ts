import type { Knex } from 'knex';
import { dialectOf } from './knex.ts';

type Row = Record<string, unknown>;

/** Narrows a query on one table to the rows a write may touch: `(q) => q.where(…)`. */
export type RowFilter = (query: Knex.QueryBuilder) => Knex.QueryBuilder;

/**
 * Rows matching `filter` changed by `patch`, each with its state before and after. On PostgreSQL the rows are locked
 * as they are read, and the lock re-checks `filter` against a row a concurrent transaction just changed, so of two
 * conditional updates racing for one row (an invite accepted twice at once) exactly one gets it. SQLite runs one
 * write transaction at a time.
 */
export async function changeRows(
  trx: Knex.Transaction,
  table: string,
  filter: RowFilter,
  patch: Row,
): Promise<{ before: Row; after: Row }[]> {
  const select = filter(trx(table)).select('*');
  if (dialectOf(trx as unknown as Knex) === 'postgres') select.forUpdate();
  const before = (await select) as Row[];
  if (!before.length) return [];
  await trx(table)
    .whereIn(
      'id',
      before.map((r) => r.id as string),
    )
    .update(patch);
  return before.map((row) => ({ before: row, after: { ...row, ...patch } }));
}
