import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './knex.ts';
import { queryTemplate, queryTemplatePerLength, withIntegerConstantsInlined } from './query-template.ts';
import type { SqliteHolder } from './sqlite-direct.ts';

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

  it('writes a constant LIMIT into the SQLite statement, so the cached statement is not compiled again on each run', async () => {
    const connection = (db.knex.userParams as { klusteraSqlite: SqliteHolder }).klusteraSqlite.connection!;
    const prepared: string[] = [];
    const prepare = connection.prepare;
    Object.defineProperty(connection, 'prepare', {
      configurable: true,
      value: (sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      },
    });
    try {
      const sizeOf = queryTemplate<'id'>((knex, p) => knex('things').where('id', p.id).first('size'));
      expect(await sizeOf(db.knex, { id: 'b' })).toEqual([{ size: 5 }]);
      const firstTwo = queryTemplate<'owner'>((knex, p) =>
        knex('things').where('owner', p.owner).orderBy('id').limit(2).offset(1).select('id'),
      );
      expect(await firstTwo(db.knex, { owner: 'x' })).toEqual([{ id: 'b' }, { id: 'd' }]);
    } finally {
      Object.defineProperty(connection, 'prepare', { configurable: true, value: prepare });
    }
    expect(prepared).toHaveLength(2);
    expect(prepared[0]).toMatch(/ limit 1$/);
    expect(prepared[1]).toMatch(/ limit 2 offset 1$/);
  });

  it('writes a page’s LIMIT and OFFSET parameters into the SQLite statement, one statement per page', async () => {
    const connection = (db.knex.userParams as { klusteraSqlite: SqliteHolder }).klusteraSqlite.connection!;
    const prepared: string[] = [];
    const prepare = connection.prepare;
    Object.defineProperty(connection, 'prepare', {
      configurable: true,
      value: (sql: string) => {
        prepared.push(sql);
        return prepare(sql);
      },
    });
    const paged: string[] = [];
    try {
      const page = queryTemplate<'owner' | 'limit' | 'offset'>((knex, p) =>
        knex.raw('select id from things where owner = ? and id <> ? order by id limit ? offset ?', [p.owner, 'limit ?', p.limit, p.offset]),
      );
      expect(await page(db.knex, { owner: 'x', limit: 2, offset: 0 })).toEqual([{ id: 'a' }, { id: 'b' }]);
      expect(await page(db.knex, { owner: 'x', limit: 2, offset: 0 })).toEqual([{ id: 'a' }, { id: 'b' }]);
      expect(await page(db.knex, { owner: 'x', limit: 2, offset: 2 })).toEqual([{ id: 'd' }]);
      paged.push(...prepared.filter((sql) => sql.startsWith('select id from things')));
      // Not an integer: bound as it came (SQLite refuses it), never written into the text.
      await expect(page(db.knex, { owner: 'x', limit: '1; drop table things', offset: 0 })).rejects.toThrow();
    } finally {
      Object.defineProperty(connection, 'prepare', { configurable: true, value: prepare });
    }
    const texts = paged;
    expect(texts).toContain('select id from things where owner = ? and id <> ? order by id limit 2 offset 0');
    expect(texts).toContain('select id from things where owner = ? and id <> ? order by id limit 2 offset 2');
    // Two pages, two statements (the connection keeps each prepared by its text); none with a bound LIMIT.
    expect(new Set(texts).size).toBe(2);
    expect(await db.knex('things').count({ n: '*' })).toEqual([{ n: 4 }]);
  });

  it('leaves placeholders in quoted text, strings and non-integer constants as they are', () => {
    const { sql, slots } = withIntegerConstantsInlined('select \'?\' as "a?", `b?` from t where x = ? and y = ? and z = ? limit ?', [
      { param: 'x' },
      { value: 'text' },
      { value: 1.5 },
      { value: 10 },
    ]);
    expect(sql).toBe('select \'?\' as "a?", `b?` from t where x = ? and y = ? and z = ? limit 10');
    expect(slots).toEqual([{ param: 'x' }, { value: 'text' }, { value: 1.5 }]);
  });

  it('compiles an in-list query once per list length, and leaves lists longer than its limit to the caller', async () => {
    const lengths: number[] = [];
    const sizes = queryTemplatePerLength<'owner'>(3, (knex, p, ids) => {
      lengths.push(ids.length);
      return knex('things').where('owner', p.owner).whereIn('id', ids).orderBy('id').select('id', 'size');
    });
    const run = (ids: string[]) => sizes.forLength(ids.length)!(db.knex, { owner: 'x', ...sizes.values(ids) });
    expect(await run(['a', 'b'])).toEqual([
      { id: 'a', size: 1 },
      { id: 'b', size: 5 },
    ]);
    expect(await run(['b', 'c'])).toEqual([{ id: 'b', size: 5 }]);
    expect(await run(['d', 'a', 'c'])).toEqual([
      { id: 'a', size: 1 },
      { id: 'd', size: 7 },
    ]);
    expect(lengths).toEqual([2, 3]);
    expect(sizes.forLength(4)).toBeUndefined();
    expect(sizes.forLength(0)).toBeUndefined();
  });

  it('refuses a parameter written into the SQL text, where a later value could not reach it', async () => {
    const bad = queryTemplate<'owner'>((knex, p) => knex('things').whereRaw(`owner = '${p.owner}'`));
    await expect(bad(db.knex, { owner: 'x' })).rejects.toThrow(/bound/);
  });
});
