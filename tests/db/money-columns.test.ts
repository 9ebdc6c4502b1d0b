// Money is an integer number of rupiah on both databases: bigint columns on PostgreSQL, integer affinity on SQLite,
// and JavaScript numbers (never strings, never floats) when read back — also from sums.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { ScopedStore } from '../../server/db/scoped-store.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';
import { createEstate, storeFor } from './fixtures.ts';

/** Column names that hold rupiah by the naming convention of the migrations. */
const MONEY_NAME = /(^|_)(amount|balance|price|rupiah|subtotal|total_due|total_paid|debit|credit)(_|$)/;

interface Column {
  table: string;
  column: string;
  type: string;
}

async function columns(knex: Knex, dialect: 'sqlite' | 'postgres'): Promise<Column[]> {
  if (dialect === 'postgres') {
    const result = await knex.raw(
      'select table_name as "table", column_name as "column", data_type as "type" from information_schema.columns where table_schema = current_schema()',
    );
    return result.rows as Column[];
  }
  const tables = (await knex.raw("select name from sqlite_master where type = 'table' and name not like 'sqlite_%'")) as { name: string }[];
  const found: Column[] = [];
  for (const { name } of tables) {
    const info = (await knex.raw(`pragma table_info("${name}")`)) as { name: string; type: string }[];
    for (const c of info) found.push({ table: name, column: c.name, type: c.type.toLowerCase() });
  }
  return found;
}

describe.each(BACKENDS)('money columns on $name', (backend) => {
  let opened: OpenedBackend;
  let store: ScopedStore;

  beforeAll(async () => {
    opened = await backend.open();
    await migrateToLatest(opened.db);
    store = await storeFor(opened.db.knex, await createEstate(opened.db.knex, 'Perumahan Bukit Indah'));
  });
  afterAll(async () => {
    await opened.dispose();
  });

  it('every money column is a 64-bit integer', async () => {
    const money = (await columns(opened.db.knex, opened.db.dialect)).filter((c) => MONEY_NAME.test(c.column));
    expect(money.map((c) => `${c.table}.${c.column}`)).toContain('cashbook_entries.amount');
    const expected = opened.db.dialect === 'postgres' ? ['bigint'] : ['bigint', 'integer'];
    const wrong = money.filter((c) => !expected.includes(c.type)).map((c) => `${c.table}.${c.column}: ${c.type}`);
    expect(wrong).toEqual([]);
  });

  it('stores amounts beyond 32 bits exactly and returns them as numbers, also from sum()', async () => {
    const account = await store.insert<{ id: string }>('cashbook_accounts', { name: 'Kas RT', kind: 'cash' });
    const large = 5_000_000_000_123; // Rp 5 trillion and change: past 2^32, within 2^53
    for (const [seq, amount] of [
      [1, large],
      [2, 150_000],
    ] as const) {
      await store.appendOnly('cashbook_entries', {
        seq,
        account_id: account.id,
        direction: 'in',
        amount,
        category: 'iuran',
        entry_date: '2026-11-21',
        description: 'Iuran bulanan',
        source_type: 'manual',
        prev_hash: '0'.repeat(64),
        hash: String(seq).repeat(64),
      });
    }
    const rows = (await store.query('cashbook_entries').select('amount').orderBy('seq')) as { amount: unknown }[];
    expect(rows.map((r) => r.amount)).toEqual([large, 150_000]);
    for (const row of rows) expect(typeof row.amount).toBe('number');
    const total = await store.query('cashbook_entries').sum({ total: 'amount' }).first();
    expect(total.total).toBe(large + 150_000);
    expect(typeof total.total).toBe('number');
  });
});
