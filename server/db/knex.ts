import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { sqliteFile } from '../config.ts';
import { CachingBetterSqlite3Client, type Connection } from './sqlite-client.ts';
import { sqliteConnectionHolder } from './sqlite-direct.ts';

export type Dialect = 'sqlite' | 'postgres';

// int8 (count(*), bigint rupiah columns) arrives from pg as a string; every value we store fits in 2^53.
pg.types.setTypeParser(20, (v: string) => Number(v));
pg.types.setTypeParser(1700, (v: string) => Number(v));

export interface Database {
  knex: Knex;
  dialect: Dialect;
  /** The SQLite file, when the database is the embedded one. */
  file?: string;
  close(): Promise<void>;
}

export function openDatabase(opts: { dataDir: string; databaseUrl?: string }): Database {
  if (opts.databaseUrl) {
    const knex = knexFactory({
      client: 'pg',
      connection: opts.databaseUrl,
      pool: { min: 0, max: 10 },
    });
    return { knex, dialect: 'postgres', close: () => knex.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = sqliteFile(opts.dataDir);
  const config = {
    client: CachingBetterSqlite3Client as never,
    connection: { filename: file },
    useNullAsDefault: true,
    pool: {
      // One connection: SQLite has one writer anyway, and sqlite-direct.ts relies on it being the only one.
      min: 1,
      max: 1,
      afterCreate(conn: Connection & { pragma(s: string): unknown }, done: (err: Error | null, conn: unknown) => void) {
        // WAL lets readers (backups, reports) run while a write transaction is open; NORMAL sync is durable in WAL.
        conn.pragma('journal_mode = WAL');
        conn.pragma('synchronous = NORMAL');
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        holder.connection = conn;
        done(null, conn);
      },
    },
  };
  const holder = sqliteConnectionHolder(config);
  const knex = knexFactory(config);
  return { knex, dialect: 'sqlite', file, close: () => knex.destroy() };
}

export function dialectOf(knex: Knex): Dialect {
  const client = (knex.client as { config: { client: string } }).config.client;
  return client === 'pg' ? 'postgres' : 'sqlite';
}
