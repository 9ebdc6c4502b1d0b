// ScopedStore transactions on SQLite and PostgreSQL, through knex's public transaction API on both: commit,
// rollback, a nested transaction joining the outer one, and no query through a transaction once it has ended.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { ScopedStore } from '../../server/db/scoped-store.ts';
import { directSqlite } from '../../server/db/sqlite-direct.ts';
import { dialectOf } from '../../server/db/knex.ts';
import { unitSortKey } from '../../server/units/unit-code.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';
import { countRows, createEstate, storeFor } from './fixtures.ts';

let codeCounter = 0;
function unitRow(code = `TX-${++codeCounter}`) {
  return { code, sort_key: unitSortKey(code), block: 'TX', type: 'rumah', occupancy: 'occupied' };
}

describe.each(BACKENDS)('ScopedStore transactions on $name', (backend) => {
  let opened: OpenedBackend;
  let knex: Knex;
  let store: ScopedStore;
  let estateId: string;

  beforeAll(async () => {
    opened = await backend.open();
    knex = opened.db.knex;
    await migrateToLatest(opened.db);
    estateId = await createEstate(knex, 'Perumahan Bukit Indah');
    store = await storeFor(knex, estateId);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  const units = () => countRows(knex, 'units', { estate_id: estateId });

  it('knows its dialect, in the transactions too', async () => {
    expect(dialectOf(knex)).toBe(backend.name);
    await store.transaction(async (tx) => {
      expect(tx.inTransaction).toBe(true);
      expect(dialectOf(tx.knex)).toBe(backend.name);
    });
  });

  it('commits every write of the body together, hand-written statements included', async () => {
    const before = await units();
    const ids = await store.transaction(async (tx) => {
      const a = await tx.insert<{ id: string }>('units', unitRow());
      const b = await tx.insert<{ id: string }>('units', unitRow());
      const [seen] = await tx.rows<{ n: number | string }>('select count(*) as n from "units" where "estate_id" = ?', [estateId]);
      expect(Number(seen.n)).toBe(before + 2);
      return [a.id, b.id];
    });
    expect(await units()).toBe(before + 2);
    for (const id of ids) expect(await countRows(knex, 'audit_log', { entity_id: id })).toBe(1);
  });

  it('rolls every write of the body back when it throws, journal rows included', async () => {
    const before = await units();
    let id = '';
    await expect(
      store.transaction(async (tx) => {
        id = (await tx.insert<{ id: string }>('units', unitRow())).id;
        await tx.rows('update "units" set "block" = ? where "estate_id" = ? and "id" = ?', ['ZZ', estateId, id]);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await units()).toBe(before);
    expect(await countRows(knex, 'audit_log', { entity_id: id })).toBe(0);
    expect(await countRows(knex, 'outbox', { row_id: id })).toBe(0);
  });

  it('a nested transaction joins the outer one: it sees its rows, and its failure undoes the outer writes', async () => {
    const before = await units();
    await expect(
      store.transaction(async (outer) => {
        const unit = await outer.insert<{ id: string }>('units', unitRow());
        await outer.transaction(async (inner) => {
          expect(inner).toBe(outer);
          expect(await inner.find('units', unit.id)).toBeDefined();
          await inner.insert('units', unitRow());
          throw new Error('inner failed');
        });
      }),
    ).rejects.toThrow('inner failed');
    expect(await units()).toBe(before);

    await store.transaction(async (outer) => {
      await outer.insert('units', unitRow());
      await outer.transaction(async (inner) => inner.insert('units', unitRow()));
    });
    expect(await units()).toBe(before + 2);
  });

  it('refuses a query through a transaction that has committed instead of running it outside', async () => {
    let leaked!: ScopedStore;
    await store.transaction(async (tx) => {
      leaked = tx;
    });
    const before = await units();
    await expect(leaked.rows('select 1 as one', [])).rejects.toThrow(/complete/);
    await expect(leaked.query('units').insert({ id: 'stray', ...unitRow(), estate_id: estateId })).rejects.toThrow(/complete/);
    await expect(leaked.find('units', 'stray')).rejects.toThrow(/complete/);
    expect(await units()).toBe(before);
  });

  it('runs hand-written statements straight on the SQLite connection inside a transaction, never on PostgreSQL', async () => {
    await store.transaction(async (tx) => {
      expect(directSqlite(tx.knex) !== null).toBe(backend.name === 'sqlite');
    });
    expect(directSqlite(knex) !== null).toBe(backend.name === 'sqlite');
  });
});
