import fs from 'node:fs';
import { createRequire } from 'node:module';
import knexFactory, { type Knex } from 'knex';
import { sqliteFile } from '../config.ts';
import { adoptConnection, type Connection } from './sqlite-client.ts';
import type { DatabaseParams, SqliteHolder } from './sqlite-direct.ts';
import { SAFETY_NET_PAGES, startCheckpointer } from './checkpointer.ts';

export type Dialect = 'sqlite' | 'postgres';

const WAL_SIZE_LIMIT_BYTES = 16 * 1024 * 1024;
const PAGE_CACHE_KIB = 32 * 1024;
const MMAP_BYTES = 256 * 1024 * 1024;

let pgTypesSet = false;

/**
 * int8 (count(*), bigint rupiah columns) arrives from pg as a string; every value we store fits in 2^53. The driver
 * is loaded only for PostgreSQL: the embedded database never needs it, and loading it is start-up time.
 */
function parsePgNumbers(): void {
  if (pgTypesSet) return;
  const pg = createRequire(import.meta.url)('pg') as typeof import('pg');
  pg.types.setTypeParser(20, (v: string) => Number(v));
  pg.types.setTypeParser(1700, (v: string) => Number(v));
  pgTypesSet = true;
}

export interface Database {
  knex: Knex;
  dialect: Dialect;
  /** The SQLite file, when the database is the embedded one. */
  file?: string;
  close(): Promise<void>;
  /**
   * SQLite: closes every connection to the file, runs `swap` (which may put another file in its place), then opens
   * the file again on the same knex instance, so everything holding it (rate limiters, job runner) keeps working.
   */
  reopen?(swap: () => Promise<void>): Promise<void>;
}

export interface OpenOptions {
  dataDir: string;
  databaseUrl?: string;
  /** SQLite: checkpoint the WAL from a worker thread instead of inside commits (the long-running server). */
  backgroundCheckpoint?: boolean;
  /**
   * PostgreSQL: 'app' runs every connection as the row-security role (`SET ROLE klustera_app`, see row-security.ts),
   * so each query sees only the scope its transaction names. 'owner' (the default; migrations, the command line,
   * backups) keeps the connecting user and names the platform scope for the whole session.
   */
  role?: 'owner' | 'app';
}

type PgConnection = { query(sql: string, done: (err: Error | null) => void): void };

/** What each new PostgreSQL connection runs first. */
function pgSessionSetup(role: 'owner' | 'app'): string {
  return role === 'app' ? 'set role klustera_app' : "select set_config('klustera.scope', 'platform', false)";
}

/** `KLUSTERA_SQLITE_SYNC=full` for a flush inside every commit; the server's default is NORMAL + its checkpointer. */
function sqliteSynchronous(opts: OpenOptions): 'FULL' | 'NORMAL' {
  if (process.env.KLUSTERA_SQLITE_SYNC === 'full') return 'FULL';
  if (process.env.KLUSTERA_SQLITE_SYNC === 'normal') return 'NORMAL';
  // Without the background checkpointer nothing would flush the log between checkpoints.
  return opts.backgroundCheckpoint ? 'NORMAL' : 'FULL';
}

/**
 * knex's `userParams` config option (knex.userParams, inherited by every transaction of the instance), which its
 * type declarations leave out of Knex.Config.
 */
function withParams(config: Knex.Config, userParams: DatabaseParams): Knex.Config {
  return { ...config, userParams } as Knex.Config;
}

export function openDatabase(opts: OpenOptions): Database {
  if (opts.databaseUrl) {
    parsePgNumbers();
    const knex = knexFactory(
      withParams(
        {
          client: 'pg',
          connection: opts.databaseUrl,
          pool: {
            min: 0,
            max: 10,
            afterCreate(conn: PgConnection, done: (err: Error | null, conn: unknown) => void) {
              conn.query(pgSessionSetup(opts.role ?? 'owner'), (err) => done(err, conn));
            },
          },
        },
        { klusteraDialect: 'postgres', klusteraRowScope: opts.role === 'app' },
      ),
    );
    return { knex, dialect: 'postgres', close: () => knex.destroy() };
  }
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const file = sqliteFile(opts.dataDir);
  const holder: SqliteHolder = { connection: null };
  const knex = knexFactory(
    withParams(
      {
        client: 'better-sqlite3',
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
            // Reads come from the memory map instead of a read() call per page, and a large enough page cache keeps a
            // gate's pass and log indexes in memory; both cost nothing until pages are used.
            conn.pragma(`cache_size = -${PAGE_CACHE_KIB}`);
            conn.pragma(`mmap_size = ${MMAP_BYTES}`);
            conn.pragma('foreign_keys = ON');
            conn.pragma('busy_timeout = 5000');
            if (opts.backgroundCheckpoint) conn.pragma(`wal_autocheckpoint = ${SAFETY_NET_PAGES}`);
            holder.connection = adoptConnection(conn);
            done(null, conn);
          },
        },
      },
      { klusteraDialect: 'sqlite', klusteraSqlite: holder },
    ),
  );
  let checkpointer = opts.backgroundCheckpoint ? startCheckpointer(file) : null;
  return {
    knex,
    dialect: 'sqlite',
    file,
    close: async () => {
      await checkpointer?.stop();
      await knex.destroy();
    },
    reopen: async (swap) => {
      await checkpointer?.stop();
      checkpointer = null;
      await knex.destroy();
      holder.connection = null;
      try {
        await swap();
      } finally {
        knex.initialize();
        checkpointer = opts.backgroundCheckpoint ? startCheckpointer(file) : null;
      }
    },
  };
}

const compiledDialect = new WeakMap<object, Dialect>();

/** The dialect of a knex instance or transaction: from the `userParams` openDatabase sets, which transactions inherit. */
export function dialectOf(knex: Knex | Knex.Transaction): Dialect {
  const known = (knex.userParams as Partial<DatabaseParams> | undefined)?.klusteraDialect;
  if (known) return known;
  // A knex instance made elsewhere: how it compiles a placeholder tells.
  let dialect = compiledDialect.get(knex);
  if (!dialect) {
    dialect = knex.raw('?', [0]).toSQL().toNative().sql === '$1' ? 'postgres' : 'sqlite';
    compiledDialect.set(knex, dialect);
  }
  return dialect;
}
