import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from './knex.ts';
import { insertValues } from './bulk-insert.ts';
import { directSqlite, rawRows, sqliteTransaction } from './sqlite-direct.ts';

let dir: string;
let db: Database;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-direct-'));
  db = openDatabase({ dataDir: dir });
  await db.knex.schema.createTable('notes', (t) => {
    t.increments('id');
    t.string('text').notNullable();
  });
});

afterAll(async () => {
  await db.close();
  rmSync(dir, { recursive: true, force: true });
});

const count = async () => Number((await db.knex('notes').count({ n: '*' }))[0].n);

describe('SQLite transactions and direct statements', () => {
  it('commits the builder and the direct statements of the body together', async () => {
    const before = await count();
    const run = sqliteTransaction(db.knex)!;
    await run(async (trx) => {
      await trx('notes').insert({ text: 'builder' });
      await rawRows(trx, 'insert into notes (text) values (?)', ['direct']);
      expect(directSqlite(trx)).not.toBeNull();
      expect((await rawRows<{ n: number }>(trx, 'select count(*) as n from notes', []))[0].n).toBe(before + 2);
    });
    expect(await count()).toBe(before + 2);
  });

  it('rolls the whole body back when it throws, and the connection is usable afterwards', async () => {
    const before = await count();
    await expect(
      sqliteTransaction(db.knex)!(async (trx) => {
        await trx('notes').insert({ text: 'kept?' });
        await rawRows(trx, 'insert into notes (text) values (?)', ['kept too?']);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(await count()).toBe(before);
    await sqliteTransaction(db.knex)!(async (trx) => trx('notes').insert({ text: 'after' }));
    expect(await count()).toBe(before + 1);
  });

  it('rolls back when a statement fails (constraint), leaving nothing of the body', async () => {
    const before = await count();
    await expect(
      sqliteTransaction(db.knex)!(async (trx) => {
        await rawRows(trx, 'insert into notes (text) values (?)', ['first']);
        await rawRows(trx, 'insert into notes (text) values (?)', [null]);
      }),
    ).rejects.toThrow(/NOT NULL/);
    expect(await count()).toBe(before);
  });

  it('keeps other queries out until it commits: they neither see its rows nor run inside it', async () => {
    const before = await count();
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const tx = sqliteTransaction(db.knex)!(async (trx) => {
      await rawRows(trx, 'insert into notes (text) values (?)', ['pending']);
      await gate;
    });
    await new Promise((r) => setTimeout(r, 20));
    // The connection is taken: a plain read may not run directly, and through knex it waits for the commit.
    expect(directSqlite(db.knex)).toBeNull();
    const outside = count();
    let outsideDone = false;
    void outside.then(() => (outsideDone = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(outsideDone).toBe(false);
    release();
    await tx;
    expect(await outside).toBe(before + 1);
    expect(directSqlite(db.knex)).not.toBeNull();
  });

  it('refuses work through a transaction that has ended instead of running it in whatever comes next', async () => {
    let leaked!: Parameters<Parameters<NonNullable<ReturnType<typeof sqliteTransaction>>>[0]>[0];
    await sqliteTransaction(db.knex)!(async (trx) => {
      leaked = trx;
    });
    expect(leaked.isCompleted()).toBe(true);
    expect(directSqlite(leaked)).toBeNull();
    const before = await count();
    await expect(leaked('notes').insert({ text: 'stray builder' })).rejects.toThrow(/complete/);
    await sqliteTransaction(db.knex)!(async () => {
      await expect(rawRows(leaked, 'insert into notes (text) values (?)', ['stray'])).rejects.toThrow(/complete/);
    });
    expect(await count()).toBe(before);
  });

  it('serialises two transactions started together', async () => {
    const before = await count();
    const order: string[] = [];
    const one = (name: string) =>
      sqliteTransaction(db.knex)!(async (trx) => {
        order.push(`${name}:begin`);
        await rawRows(trx, 'insert into notes (text) values (?)', [name]);
        await new Promise((r) => setTimeout(r, 10));
        order.push(`${name}:end`);
      });
    await Promise.all([one('a'), one('b')]);
    expect(order).toEqual(['a:begin', 'a:end', 'b:begin', 'b:end']);
    expect(await count()).toBe(before + 2);
  });

  it('takes the write lock when it begins (BEGIN IMMEDIATE), so another process waits instead of failing later', async () => {
    // Another process on the same file, as a CLI command would be; no waiting, so a held lock shows as SQLITE_BUSY.
    const other = new Sqlite(db.file!, { timeout: 0 });
    try {
      await sqliteTransaction(db.knex)!(async (trx) => {
        // Nothing written yet: a deferred BEGIN would hold no lock at this point.
        expect(() => other.prepare('BEGIN IMMEDIATE').run()).toThrow(/locked|busy/i);
        await trx('notes').insert({ text: 'locked' });
      });
      other.prepare('BEGIN IMMEDIATE').run();
      other.prepare('ROLLBACK').run();
    } finally {
      other.close();
    }
  });

  it('runs plain statements directly when nothing else holds the connection, and through knex when a transaction does', async () => {
    expect(directSqlite(db.knex)).not.toBeNull();
    let inside: ReturnType<typeof directSqlite> = null;
    let outside: ReturnType<typeof directSqlite> = null;
    await sqliteTransaction(db.knex)!(async (trx) => {
      inside = directSqlite(trx);
      outside = directSqlite(db.knex);
    });
    expect(inside).not.toBeNull();
    expect(outside).toBeNull();
  });
});

describe('group commit', () => {
  /** The BEGIN / COMMIT / ROLLBACK statements knex sends while `work` runs. */
  async function transactionStatements(work: () => Promise<unknown>): Promise<string[]> {
    const seen: string[] = [];
    const listen = (q: { sql: string }) => {
      if (/^(begin|commit|rollback)\b/i.test(q.sql)) seen.push(q.sql.replace(/;$/, '').toUpperCase());
    };
    db.knex.on('query', listen);
    try {
      await work();
    } finally {
      db.knex.off('query', listen);
    }
    return seen;
  }

  it('runs bodies that wait together in one transaction: one that throws is undone alone, the others commit', async () => {
    const before = await count();
    const run = sqliteTransaction(db.knex)!;
    const outcomes: PromiseSettledResult<unknown>[] = [];
    const statements = await transactionStatements(async () => {
      outcomes.push(
        ...(await Promise.allSettled([
          run(async (trx) => rawRows(trx, 'insert into notes (text) values (?)', ['group one'])).then(() => 'one'),
          run(async (trx) => {
            await trx('notes').insert({ text: 'group two, undone' });
            await rawRows(trx, 'insert into notes (text) values (?)', [null]);
          }),
          run(async (trx) => trx('notes').insert({ text: 'group three' })).then(() => 'three'),
        ])),
      );
    });
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason.message).toMatch(/NOT NULL/);
    expect(statements).toEqual(['BEGIN', 'COMMIT']);
    const texts = ((await db.knex('notes').where('id', '>', 0).orderBy('id').select('text')) as { text: string }[]).map((r) => r.text);
    expect(texts).toContain('group one');
    expect(texts).toContain('group three');
    expect(texts).not.toContain('group two, undone');
    expect(await count()).toBe(before + 2);
  });

  it('answers a body only after the COMMIT holding its writes: another connection already sees them', async () => {
    const other = new Sqlite(db.file!, { readonly: true });
    try {
      const seenAtAnswer = await Promise.all(
        ['first', 'second'].map((text) =>
          sqliteTransaction(db.knex)!(async (trx) => rawRows(trx, 'insert into notes (text) values (?)', [`visible ${text}`])).then(
            () => other.prepare('select count(*) as n from notes where text = ?').get(`visible ${text}`) as { n: number },
          ),
        ),
      );
      expect(seenAtAnswer.map((r) => r.n)).toEqual([1, 1]);
    } finally {
      other.close();
    }
  });

  it('rolls the transaction back when every body of the group throws', async () => {
    const before = await count();
    const run = sqliteTransaction(db.knex)!;
    let outcomes: PromiseSettledResult<unknown>[] = [];
    const statements = await transactionStatements(async () => {
      outcomes = await Promise.allSettled(
        ['a', 'b'].map((text) =>
          run(async (trx) => {
            await trx('notes').insert({ text });
            throw new Error(`no ${text}`);
          }),
        ),
      );
    });
    expect(outcomes.map((o) => (o as PromiseRejectedResult).reason.message)).toEqual(['no a', 'no b']);
    expect(statements).toEqual(['BEGIN', 'ROLLBACK']);
    expect(await count()).toBe(before);
  });
});

describe('many rows through one prepared statement', () => {
  it('writes every row, and a failing row leaves none of the others even when the transaction goes on', async () => {
    const before = await count();
    await sqliteTransaction(db.knex)!(async (trx) => {
      await insertValues(trx, 'notes', [{ text: 'one' }, { text: 'two' }, { text: 'three' }]);
      expect(directSqlite(trx)).not.toBeNull();
      await expect(insertValues(trx, 'notes', [{ text: 'four' }, { text: 'five' }, { text: null }, { text: 'six' }])).rejects.toThrow(
        /NOT NULL/,
      );
      await insertValues(trx, 'notes', [{ text: 'seven' }, { text: 'eight' }]);
    });
    const texts = (await db.knex('notes').where('id', '>', 0).orderBy('id').select('text')).map((r) => r.text).slice(before);
    expect(texts).toEqual(['one', 'two', 'three', 'seven', 'eight']);
  });

  it('runs as one atomic write outside a transaction too', async () => {
    const before = await count();
    await expect(insertValues(db.knex, 'notes', [{ text: 'a' }, { text: null }])).rejects.toThrow(/NOT NULL/);
    expect(await count()).toBe(before);
    await insertValues(db.knex, 'notes', [{ text: 'b' }, { text: 'c' }]);
    expect(await count()).toBe(before + 2);
  });
});
