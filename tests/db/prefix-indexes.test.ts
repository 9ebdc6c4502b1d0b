// An index whose columns begin another index's columns answers no read the longer one does not (a B-tree serves any
// leading part of its key), and every insert pays for both: recording a payment wrote one more index entry, and one
// more page to the log at its commit, for such a pair on payments. Unique and partial indexes say more than their
// columns, so they stay out of the comparison.
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

/** Plain (not unique, not partial) indexes with their key columns in order. */
async function plainIndexes(knex: Knex, dialect: Dialect): Promise<{ table: string; name: string; columns: string[] }[]> {
  if (dialect === 'sqlite') {
    const rows = (await knex.raw(
      `select m.tbl_name as tbl, m.name, (select group_concat(name, ',') from (select name from pragma_index_info(m.name) order by seqno)) as cols
       from sqlite_master m where m.type = 'index' and m.sql is not null
       and m.sql not like 'create unique%' collate nocase and m.sql not like '% where %' collate nocase`,
    )) as { tbl: string; name: string; cols: string }[];
    return rows.map((r) => ({ table: r.tbl, name: r.name, columns: r.cols.split(',') }));
  }
  const result = await knex.raw(
    `select t.relname as tbl, i.relname as name, pg_get_indexdef(x.indexrelid) as def
     from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
     join pg_namespace n on n.oid = t.relnamespace
     where n.nspname = current_schema() and not x.indisunique and not x.indisprimary and x.indpred is null`,
  );
  return (result.rows as { tbl: string; name: string; def: string }[]).map((r) => ({
    table: r.tbl,
    name: r.name,
    columns: r.def
      .slice(r.def.indexOf('(', r.def.indexOf(' USING ')) + 1, r.def.lastIndexOf(')'))
      .split(',')
      .map((c) => c.trim().replace(/"/g, '')),
  }));
}

describe.each(BACKENDS)('indexes on $name', (backend) => {
  let opened: OpenedBackend;
  beforeEach(async () => {
    opened = await backend.open();
  });
  afterEach(async () => {
    await opened.dispose();
  });

  it('has no index whose columns only begin another index of the same table', async () => {
    await migrateToLatest(opened.db);
    const indexes = await plainIndexes(opened.db.knex, opened.db.dialect);
    expect(indexes.map((i) => i.name)).toContain('payments_estate_unit_paid_at');
    const covered: string[] = [];
    for (const short of indexes) {
      for (const long of indexes) {
        if (short === long || short.table !== long.table || short.columns.length >= long.columns.length) continue;
        if (short.columns.every((c, i) => long.columns[i] === c)) covered.push(`${short.name} begins ${long.name}`);
      }
    }
    expect(covered).toEqual([]);
  });
});
