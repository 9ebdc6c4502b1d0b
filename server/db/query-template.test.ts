import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './knex.ts';
import { queryTemplate } from './query-template.ts';

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-template-'));
  db = openDatabase({ dataDir: dir });
  await db.knex.schema.createTable('things', (t) => {
    t.string('id').primary();
    t.string('owner');
    t.integer('size');
    t.string('deleted_at');
  });
  await db.knex('things').insert([
    { id: 'a', owner: 'x', size: 1 },
    { id: 'b', owner: 'x', size: 5 },
    { id: 'c', owner: 'y', size: 9 },
    { id: 'd', owner: 'x', size: 7, deleted_at: '2026-01-01' },
  ]);
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('queryTemplate', () => {
  it('binds each call’s values where the builder put the parameters, keeping constants it wrote itself', async () => {
    const bigOnes = queryTemplate<'owner' | 'min'>((knex, p) =>
      knex('things').where('owner', p.owner).where('size', '>=', p.min).whereNull('deleted_at').orderBy('id').limit(2).select('id'),
    );
    expect(await bigOnes(db.knex, { owner: 'x', min: 2 })).toEqual([{ id: 'b' }]);
    expect(await bigOnes(db.knex, { owner: 'x', min: 0 })).toEqual([{ id: 'a' }, { id: 'b' }]);
    expect(await bigOnes(db.knex, { owner: 'y', min: 0 })).toEqual([{ id: 'c' }]);
  });

  it('builds the query once and then only runs its SQL', async () => {
    let builds = 0;
    const byId = queryTemplate<'id'>((knex, p) => {
      builds++;
      return knex('things').where('id', p.id).first('size');
    });
    for (const id of ['a', 'b', 'c']) await byId(db.knex, { id });
    expect(builds).toBe(1);
    expect(await byId(db.knex, { id: 'c' })).toEqual([{ size: 9 }]);
  });

  it('runs inside a transaction and sees its uncommitted rows', async () => {
    const byId = queryTemplate<'id'>((knex, p) => knex('things').where('id', p.id).select('id'));
    await db.knex
      .transaction(async (trx) => {
        await trx('things').insert({ id: 'e', owner: 'z', size: 2 });
        expect(await byId(trx, { id: 'e' })).toEqual([{ id: 'e' }]);
        await trx.rollback();
      })
      .catch(() => undefined);
    expect(await byId(db.knex, { id: 'e' })).toEqual([]);
  });

  it('refuses a parameter written into the SQL text, where a later value could not reach it', async () => {
    const bad = queryTemplate<'owner'>((knex, p) => knex('things').whereRaw(`owner = '${p.owner}'`));
    await expect(bad(db.knex, { owner: 'x' })).rejects.toThrow(/bound/);
  });
});
