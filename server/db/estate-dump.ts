import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import knexFactory, { type Knex } from 'knex';
import { nowIso } from './clock.ts';
import type { Database } from './knex.ts';
import { MIGRATIONS_DIR } from './migrate.ts';
import { enterScope, PLATFORM } from './row-security.ts';
import { ARCHIVE_FORMAT, ARCHIVE_FORMAT_VERSION, type EstateManifest, fileEntry, sha256File, tableEntry } from './estate-archive.ts';
import { COLUMNS_LEFT_BEHIND, COLUMNS_OF_THIS_DATABASE, columnsOf, estateTablesInOrder, USER_COLUMNS } from './estate-tables.ts';

const PAGE = 500;

type Row = Record<string, unknown>;

/**
 * The newest migration this code ships, which the database has run (the server and the command line migrate before
 * they touch it): what an archive's rows look like.
 */
export function codeSchemaVersion(): string {
  return (
    fs
      .readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{14}_[\w-]+\.(ts|js|mjs)$/.test(f) && !f.endsWith('.d.ts'))
      .map((f) => f.replace(/\.(ts|js|mjs)$/, ''))
      .sort()
      .at(-1) ?? ''
  );
}

/**
 * Reads the whole estate in one snapshot. SQLite: a read-only connection of its own, so the server's one
 * connection keeps answering (the gate, payments) while the estate is read (WAL gives the reader its snapshot).
 * PostgreSQL: one repeatable-read transaction.
 */
async function inSnapshot<T>(db: Database, body: (trx: Knex.Transaction) => Promise<T>): Promise<T> {
  if (db.dialect === 'sqlite' && db.file) {
    const reader = knexFactory({
      client: 'better-sqlite3',
      connection: { filename: db.file, options: { readonly: true } },
      useNullAsDefault: true,
      pool: { min: 1, max: 1 },
      userParams: { klusteraDialect: 'sqlite' },
    } as Knex.Config);
    try {
      return await reader.transaction(body);
    } finally {
      await reader.destroy();
    }
  }
  return db.knex.transaction(
    async (trx) => {
      await enterScope(trx, PLATFORM);
      return body(trx);
    },
    { isolationLevel: 'repeatable read' },
  );
}

/** Appends JSON lines to a file, hashing them as they go, waiting when the disk is behind. */
class JsonLines {
  private readonly out: fs.WriteStream;
  private readonly hash = crypto.createHash('sha256');
  rows = 0;

  constructor(file: string) {
    this.out = fs.createWriteStream(file);
  }

  async write(row: Row): Promise<void> {
    const line = `${JSON.stringify(row)}\n`;
    this.hash.update(line);
    this.rows++;
    if (!this.out.write(line)) await new Promise<void>((resolve) => this.out.once('drain', () => resolve()));
  }

  async close(): Promise<string> {
    await new Promise<void>((resolve, reject) => this.out.end((err?: Error | null) => (err ? reject(err) : resolve())));
    return this.hash.digest('hex');
  }
}

/**
 * The bytes of an uploaded file kept outside its row (`stored_in` = 'bucket', server/files/); the archive carries
 * them in place of the row's empty byte column, as a file kept in the database, so the archive is whole wherever
 * the source kept them.
 */
export type FileBytesReader = (row: Row) => Promise<Buffer>;

/**
 * Writes estate `estateId` into the empty staging folder `dir` in the layout of estate-archive.ts and returns its
 * manifest, or null when there is no such estate.
 */
export async function dumpEstate(
  db: Database,
  estateId: string,
  dir: string,
  sourceSiteId: string,
  readStoredElsewhere?: FileBytesReader,
): Promise<EstateManifest | null> {
  const schemaVersion = codeSchemaVersion();
  return inSnapshot(db, async (trx) => {
    const estate = (await trx('estates').where({ id: estateId }).first()) as Row | undefined;
    if (!estate) return null;
    fs.mkdirSync(path.join(dir, 'tables'), { recursive: true });
    const manifest: EstateManifest = {
      format: ARCHIVE_FORMAT,
      format_version: ARCHIVE_FORMAT_VERSION,
      schema_version: schemaVersion,
      estate_id: estateId,
      estate_name: String(estate.name),
      source_site_id: sourceSiteId,
      exported_at: nowIso(),
      tables: [],
      files: [],
    };
    const writeTable = async (table: string, pages: AsyncIterable<Row[]>) => {
      const lines = new JsonLines(path.join(dir, tableEntry(table)));
      const cleared = COLUMNS_LEFT_BEHIND[table] ?? [];
      const dropped = COLUMNS_OF_THIS_DATABASE[table] ?? [];
      for await (const page of pages) {
        for (const row of page) {
          const rowNo = lines.rows;
          if (row.stored_in === 'bucket' && readStoredElsewhere) {
            const bytes = await readStoredElsewhere(row);
            for (const [column, value] of Object.entries(row)) if (Buffer.isBuffer(value)) row[column] = bytes;
            row.stored_in = 'database';
          }
          for (const [column, value] of Object.entries(row)) {
            if (dropped.includes(column)) delete row[column];
            else if (cleared.includes(column)) row[column] = null;
            else if (Buffer.isBuffer(value))
              row[column] = { $file: await writeFile(dir, manifest, fileEntry(table, rowNo, column), value) };
          }
          await lines.write(row);
        }
      }
      manifest.tables.push({ name: table, rows: lines.rows, sha256: await lines.close() });
    };

    await writeTable('estates', once([estate]));
    const members = (q: Knex.QueryBuilder, table: string) => q.select('user_id').from(table).where({ estate_id: estateId });
    const users = (await trx('users')
      .whereIn('id', (q) => members(q, 'memberships'))
      .orWhereIn('id', (q) => members(q, 'membership_invitations'))
      .orderBy('id')
      .select(...USER_COLUMNS)) as Row[];
    await writeTable('users', once(users));
    for (const table of await estateTablesInOrder(trx)) await writeTable(table, pagesOf(trx, table, estateId));
    return manifest;
  });
}

async function* once(rows: Row[]): AsyncIterable<Row[]> {
  yield rows;
}

/** The estate's rows of `table` a page at a time: by id where the table has one, else in the order of its columns. */
async function* pagesOf(trx: Knex.Transaction, table: string, estateId: string): AsyncIterable<Row[]> {
  const columns = await columnsOf(trx, table);
  if (columns.includes('id')) {
    let after: string | null = null;
    for (;;) {
      const q = trx(table).where({ estate_id: estateId }).orderBy('id').limit(PAGE);
      if (after !== null) q.where('id', '>', after);
      const page = (await q) as Row[];
      if (!page.length) return;
      yield page;
      after = String(page[page.length - 1].id);
    }
  }
  for (let offset = 0; ; offset += PAGE) {
    const page = (await trx(table).where({ estate_id: estateId }).orderBy(columns.slice(0, 4)).limit(PAGE).offset(offset)) as Row[];
    if (!page.length) return;
    yield page;
  }
}

async function writeFile(dir: string, manifest: EstateManifest, entry: string, bytes: Buffer): Promise<string> {
  const file = path.join(dir, entry);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  await fs.promises.writeFile(file, bytes);
  manifest.files.push({ path: entry, bytes: bytes.length, sha256: await sha256File(file) });
  return entry;
}
