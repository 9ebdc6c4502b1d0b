import fs from 'node:fs';
import knexFactory, { type Knex } from 'knex';
import pg from 'pg';
import { sqliteFile } from '../config.ts';
import { CachingBetterSqlite3Client, type Connection } from './sqlite-client.ts';
import { sqliteConnectionHolder } from './sqlite-direct.ts';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';

export type Dialect = 'sqlite' | 'postgres';

const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;

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

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string;
  /** SQLite: checkpoint the WAL from a worker thread instead of inside commits (the long-running server). */
  backgroundCheckpoint?: boolean;
}

/** `KLUSTERA_SQLITE_SYNC=full` for a flush inside every commit; the server's default is NORMAL + its checkpointer. */
function sqliteSynchronous(opts: OpenOptions): 'FULL' | 'NORMAL' {
  if (process.env.KLUSTERA_SQLITE_SYNC === 'full') return 'FULL';
  if (process.env.KLUSTERA_SQLITE_SYNC === 'normal') return 'NORMAL';
  // Without the background checkpointer nothing would flush the log between checkpoints.
  return opts.backgroundCheckpoint ? 'NORMAL' : 'FULL';
}

export function openDatabase(opts: OpenOptions): Database {
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
        // WAL lets readers (backups, reports) run while a write transaction is open. Either setting keeps every
        // transaction whole through a crash or power cut. FULL flushes the log inside every COMMIT, so nothing
        // acknowledged is ever lost; NORMAL leaves flushing to the server's checkpointer (every 0.1 s, see
        // checkpointer.ts), trading that window for commits without an fsync on the request path.
        conn.pragma('journal_mode = WAL');
        conn.pragma(`synchronous = ${sqliteSynchronous(opts)}`);
        // Once the log has been copied back, keep its file from staying at its largest size for ever.
        conn.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
        conn.pragma('foreign_keys = ON');
        conn.pragma('busy_timeout = 5000');
        if (opts.backgroundCheckpoint) conn.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
        holder.connection = conn;
        done(null, conn);
      },
    },
  };
  const holder = sqliteConnectionHolder(config);
  const knex = knexFactory(config);
  const checkpointer = opts.backgroundCheckpoint ? startCheckpointer(file) : null;
  return { knex, dialect: 'sqlite', file, close: async () => { await checkpointer?.stop(); await knex.destroy(); } };
}

export function dialectOf(knex: Knex): Dialect {
  const client = (knex.client as { config: { client: string } }).config.client;
  return client === 'pg' ? 'postgres' : 'sqlite';
}
