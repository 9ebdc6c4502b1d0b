// ScopedStore on SQLite and PostgreSQL: UUIDv7 ids, one audit row and one outbox row per mutation in the same
// transaction, estate isolation, per-estate unit codes that free up after a tombstone.
import type { Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError } from '../../server/http/errors.ts';
import { migrateToLatest } from '../../server/db/migrate.ts';
import type { ScopedStore } from '../../server/db/scoped-store.ts';
import { unitSortKey } from '../../server/units/unit-code.ts';
import { BACKENDS, type OpenedBackend } from './backends.ts';
import { countRows, createEstate, storeFor, UUID_V7 } from './fixtures.ts';

let codeCounter = 0;
function unitRow(code = `T-${++codeCounter}`) {
  return { code, sort_key: unitSortKey(code), block: 'T', type: 'rumah', occupancy: 'occupied' };
}

describe.each(BACKENDS)('ScopedStore on $name', (backend) => {
  let opened: OpenedBackend;
  let knex: Knex;
  let estateA: string;
  let estateB: string;
  let storeA: ScopedStore;
  let storeB: ScopedStore;

  beforeAll(async () => {
    opened = await backend.open();
    knex = opened.db.knex;
    await migrateToLatest(opened.db);
    estateA = await createEstate(knex, 'Perumahan Griya Asri');
    estateB = await createEstate(knex, 'Kompleks Taman Melati');
    storeA = await storeFor(knex, estateA);
    storeB = await storeFor(knex, estateB);
  });
  afterAll(async () => {
    await opened.dispose();
  });

  async function journalCounts(rowId: string) {
    return {
      audit: await countRows(knex, 'audit_log', { entity_id: rowId }),
      outbox: await countRows(knex, 'outbox', { row_id: rowId }),
    };
  }

  describe('ids', () => {
    it('gives new rows UUIDv7 string ids that sort by creation', async () => {
      const first = await storeA.insert<{ id: string }>('units', unitRow());
      const second = await storeA.insert<{ id: string }>('units', unitRow());
      expect(first.id).toMatch(UUID_V7);
      expect(second.id).toMatch(UUID_V7);
      expect(first.id < second.id).toBe(true);
      const stored = await knex('units').where({ id: first.id }).first();
      expect(typeof stored.id).toBe('string');
      expect(stored.id).toBe(first.id);
    });

    it('gives audit and outbox rows UUIDv7 ids too', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      const audit = await knex('audit_log').where({ entity_id: unit.id }).first();
      const outbox = await knex('outbox').where({ row_id: unit.id }).first();
      expect(audit.id).toMatch(UUID_V7);
      expect(outbox.id).toMatch(UUID_V7);
    });
  });

  describe('audit and outbox', () => {
    it('insert writes exactly one audit row and one outbox row describing it', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      expect(await journalCounts(unit.id)).toEqual({ audit: 1, outbox: 1 });
      const audit = await knex('audit_log').where({ entity_id: unit.id }).first();
      expect(audit).toMatchObject({ estate_id: estateA, entity_table: 'units', action: 'units.create', actor_role: 'estate_admin' });
      expect(audit.before).toBeNull();
      expect(JSON.parse(audit.after)).toMatchObject({ id: unit.id, estate_id: estateA });
      const outbox = await knex('outbox').where({ row_id: unit.id }).first();
      expect(outbox).toMatchObject({ estate_id: estateA, table_name: 'units', op: 'insert', site_id: 'site-test' });
      expect(outbox.hlc).toBeTruthy();
    });

    it('update writes exactly one more audit row (before and after) and one more outbox row', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      await storeA.update('units', unit.id, { occupancy: 'vacant' });
      expect(await journalCounts(unit.id)).toEqual({ audit: 2, outbox: 2 });
      const audit = await knex('audit_log').where({ entity_id: unit.id, action: 'units.update' }).first();
      expect(JSON.parse(audit.before).occupancy).toBe('occupied');
      expect(JSON.parse(audit.after).occupancy).toBe('vacant');
      expect(await knex('outbox').where({ row_id: unit.id, op: 'update' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    });

    it('softDelete tombstones the row and writes exactly one more audit row and one more outbox row', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      await storeA.softDelete('units', unit.id);
      expect(await journalCounts(unit.id)).toEqual({ audit: 2, outbox: 2 });
      const stored = await knex('units').where({ id: unit.id }).first();
      expect(stored.deleted_at).toBeTruthy();
      expect(await storeA.find('units', unit.id)).toBeUndefined();
      expect(await knex('outbox').where({ row_id: unit.id, op: 'delete' }).count({ n: '*' }).first()).toMatchObject({ n: 1 });
    });

    it('outbox timestamps increase from one mutation to the next', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      await storeA.update('units', unit.id, { notes: 'pagar baru' });
      const rows = await knex('outbox').where({ row_id: unit.id }).orderBy('created_at');
      const hlcs = rows.map((r: { hlc: string }) => r.hlc);
      expect(new Set(hlcs).size).toBe(2);
      expect([...hlcs].sort()).toEqual(hlcs);
    });

    it('a failure later in the transaction leaves neither the row nor its audit and outbox rows', async () => {
      const before = {
        units: await countRows(knex, 'units'),
        audit: await countRows(knex, 'audit_log'),
        outbox: await countRows(knex, 'outbox'),
      };
      let insertedId = '';
      await expect(
        storeA.transaction(async (tx) => {
          const unit = await tx.insert<{ id: string }>('units', unitRow());
          insertedId = unit.id;
          throw new Error('printer jammed');
        }),
      ).rejects.toThrow('printer jammed');
      expect(insertedId).toMatch(UUID_V7);
      expect(await knex('units').where({ id: insertedId }).first()).toBeUndefined();
      expect(await journalCounts(insertedId)).toEqual({ audit: 0, outbox: 0 });
      expect({
        units: await countRows(knex, 'units'),
        audit: await countRows(knex, 'audit_log'),
        outbox: await countRows(knex, 'outbox'),
      }).toEqual(before);
    });

    it('a failed update in a transaction rolls back the earlier update and its journal rows', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      await expect(
        storeA.transaction(async (tx) => {
          await tx.update('units', unit.id, { occupancy: 'vacant' });
          await tx.update('units', 'not-a-unit-id', { occupancy: 'vacant' });
        }),
      ).rejects.toBeInstanceOf(NotFoundError);
      expect((await knex('units').where({ id: unit.id }).first()).occupancy).toBe('occupied');
      expect(await journalCounts(unit.id)).toEqual({ audit: 1, outbox: 1 });
    });

    it('a write the database rejects leaves no audit or outbox row', async () => {
      const code = `DUP-${++codeCounter}`;
      await storeA.insert('units', unitRow(code));
      const audit = await countRows(knex, 'audit_log');
      const outbox = await countRows(knex, 'outbox');
      await expect(storeA.insert('units', unitRow(code))).rejects.toThrow();
      expect(await countRows(knex, 'audit_log')).toBe(audit);
      expect(await countRows(knex, 'outbox')).toBe(outbox);
      expect(await countRows(knex, 'units', { estate_id: estateA, code })).toBe(1);
    });
  });

  describe('estate isolation', () => {
    it("a scoped read never returns another estate's rows", async () => {
      const mine = await storeA.insert<{ id: string }>('units', unitRow());
      const theirs = await storeB.insert<{ id: string }>('units', unitRow());
      const visibleToA = (await storeA.query('units').select('id', 'estate_id')) as { id: string; estate_id: string }[];
      expect(visibleToA.map((r) => r.id)).toContain(mine.id);
      expect(visibleToA.map((r) => r.id)).not.toContain(theirs.id);
      expect(visibleToA.every((r) => r.estate_id === estateA)).toBe(true);
      const liveToB = (await storeB.live('units').select('id')) as { id: string }[];
      expect(liveToB.map((r) => r.id)).not.toContain(mine.id);
    });

    it('find and get by id do not reach into another estate', async () => {
      const theirs = await storeB.insert<{ id: string }>('units', unitRow());
      expect(await storeA.find('units', theirs.id)).toBeUndefined();
      expect(await storeA.find('units', theirs.id, { includeDeleted: true })).toBeUndefined();
      await expect(storeA.get('units', theirs.id)).rejects.toBeInstanceOf(NotFoundError);
    });

    it("update and softDelete of another estate's row fail and leave it untouched", async () => {
      const theirs = await storeB.insert<{ id: string }>('units', unitRow());
      await expect(storeA.update('units', theirs.id, { occupancy: 'vacant' })).rejects.toBeInstanceOf(NotFoundError);
      await expect(storeA.softDelete('units', theirs.id)).rejects.toBeInstanceOf(NotFoundError);
      const stored = await knex('units').where({ id: theirs.id }).first();
      expect(stored).toMatchObject({ occupancy: 'occupied', deleted_at: null, estate_id: estateB });
      expect(await journalCounts(theirs.id)).toEqual({ audit: 1, outbox: 1 });
    });

    it('insert ignores an estate_id smuggled into the values', async () => {
      const unit = await storeA.insert<{ id: string }>('units', { ...unitRow(), estate_id: estateB });
      expect((await knex('units').where({ id: unit.id }).first()).estate_id).toBe(estateA);
    });

    it('update cannot move a row to another estate', async () => {
      const unit = await storeA.insert<{ id: string }>('units', unitRow());
      await storeA.update('units', unit.id, { estate_id: estateB, notes: 'dipindah?' });
      expect((await knex('units').where({ id: unit.id }).first()).estate_id).toBe(estateA);
    });
  });

  describe('unit codes', () => {
    it('are unique within an estate', async () => {
      await storeA.insert('units', unitRow('A-01'));
      await expect(storeA.insert('units', unitRow('A-01'))).rejects.toThrow();
    });

    it('may repeat across estates', async () => {
      await storeA.insert('units', unitRow('B-07'));
      await storeB.insert('units', unitRow('B-07'));
      expect(await countRows(knex, 'units', { code: 'B-07' })).toBe(2);
    });

    it('can be used again once the unit holding it is tombstoned', async () => {
      const old = await storeA.insert<{ id: string }>('units', unitRow('C-03'));
      await storeA.softDelete('units', old.id);
      const reborn = await storeA.insert<{ id: string }>('units', unitRow('C-03'));
      expect(reborn.id).not.toBe(old.id);
      expect((await storeA.live('units').where({ code: 'C-03' })).map((r: { id: string }) => r.id)).toEqual([reborn.id]);
      await expect(storeA.insert('units', unitRow('C-03'))).rejects.toThrow();
    });
  });
});
