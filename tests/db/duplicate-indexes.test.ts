// An index that repeats another's columns answers no read the other does not, and every insert pays for both: the
// journal tables (audit_log, outbox) take rows on every write, so a spare index there costs every request.
import type { Knex } from 'knex';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Dialect } from '../../server/db/knex.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';

/** Every index as `table(col, …)` with its name, primary keys and unique constraints left out. */
async function plainIndexes(knex: Knex, dialect: Dialect): Promise<{ name: string; columns: string }[]> {
  if (dialect === 'sqlite') {
    const rows = (await knex.raw(
      `select m.tbl_name as tbl, m.name, (select group_concat(name, ', ') from (select name from pragma_index_info(m.name) order by seqno)) as cols
       from sqlite_master m where m.type = 'index' and m.sql is not null and m.sql not like 'create unique%' collate nocase`,
    )) as { tbl: string; name: string; cols: string }[];
    return rows.map((r) => ({ name: r.name, columns: `${r.tbl}(${r.cols})` }));
  }
  const result = await knex.raw(
    `select t.relname as tbl, i.relname as name, pg_get_indexdef(x.indexrelid) as def
     from pg_index x join pg_class i on i.oid = x.indexrelid join pg_class t on t.oid = x.indrelid
     join pg_namespace n on n.oid = t.relnamespace
     where n.nspname = current_schema() and not x.indisunique and not x.indisprimary`,
  );
  return (result.rows as { tbl: string; name: string; def: string }[]).map((r) => ({
    name: r.name,
    // What follows the index name: the method, columns and any predicate, so partial indexes stay apart.
    columns: `${r.tbl}${r.def.slice(r.def.indexOf(' USING '))}`,
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

  it('has no two indexes on the same columns of a table', async () => {
    await migrateToLatest(opened.db);
    const indexes = await plainIndexes(opened.db.knex, opened.db.dialect);
    expect(indexes.map((i) => i.name)).toContain('outbox_hlc');
    const byColumns = new Map<string, string[]>();
    for (const index of indexes) byColumns.set(index.columns, [...(byColumns.get(index.columns) ?? []), index.name]);
    const repeated = [...byColumns].filter(([, names]) => names.length > 1).map(([columns, names]) => `${columns}: ${names.join(', ')}`);
    expect(repeated).toEqual([]);
  });
});
