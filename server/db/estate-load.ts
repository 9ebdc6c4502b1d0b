import fs from 'node:fs';
import path from 'node:path';
import readline from 'node:readline';
import type { Knex } from 'knex';
import { ConflictError, isUniqueViolation, UnprocessableError } from '../http/errors.ts';
import { nowIso } from './clock.ts';
import { newId } from './ids.ts';
import type { Database } from './knex.ts';
import { PlatformStore } from './platform-store.ts';
import { enterScope, PLATFORM } from './row-security.ts';
import type { Actor } from './scoped-store.ts';
import type { SyncContext } from './sync-context.ts';
import { ArchiveError, type EstateManifest, tableEntry } from './estate-archive.ts';
import { codeSchemaVersion } from './estate-dump.ts';
import { columnsOf, estateTablesInOrder, USER_COLUMNS } from './estate-tables.ts';

type Row = Record<string, unknown>;

const BATCH_ROWS = 100;
const BATCH_BYTES = 8 * 1024 * 1024;

export interface LoadedEstate {
  estate_id: string;
  estate_name: string;
  rows: number;
  files: number;
  /** How the archive's accounts met this installation's (see "Accounts" in server/estate-transfer/README.md). */
  accounts: { same_id: number; matched_by_email: number; created_invited: number };
}

function invalid(message: string): ArchiveError {
  return new ArchiveError('ARCHIVE_INVALID', message);
}

/** The rows of one table entry, parsed and checked to be flat values or file references. */
async function* rowsOf(dir: string, table: string): AsyncIterable<Row> {
  const lines = readline.createInterface({ input: fs.createReadStream(path.join(dir, tableEntry(table))), crlfDelay: Infinity });
  for await (const line of lines) {
    if (!line) continue;
    let row: unknown;
    try {
      row = JSON.parse(line);
    } catch {
      throw invalid(`Baris tabel ${table} tidak dapat dibaca.`);
    }
    if (!row || typeof row !== 'object' || Array.isArray(row)) throw invalid(`Baris tabel ${table} tidak dapat dibaca.`);
    yield row as Row;
  }
}

/**
 * Where an uploaded file's bytes go on this installation (server/files/): the row to insert, its bytes perhaps put
 * elsewhere first. Called for every row of every table, in the import's transaction.
 */
export type FileKeeper = (table: string, row: Row) => Promise<Row>;

/**
 * Inserts the estate unpacked in `dir` (checked against `manifest` by unpackArchive) as a new estate, in one
 * transaction: all of it, or nothing. Ids are kept as they are: the cash book's hash chain covers them (and who
 * recorded each entry), so the chain verifies here as it did there.
 */
export async function loadEstate(
  db: Database,
  dir: string,
  manifest: EstateManifest,
  opts: { actor: Actor; sync: SyncContext; keepFile?: FileKeeper },
): Promise<LoadedEstate> {
  if (manifest.schema_version > codeSchemaVersion()) {
    throw new UnprocessableError(
      'ARCHIVE_SCHEMA_NEWER',
      'Arsip ini dibuat oleh versi Klustera yang lebih baru. Perbarui Klustera di sini terlebih dahulu.',
    );
  }
  const estateId = manifest.estate_id;
  const listedFiles = new Set(manifest.files.map((f) => f.path));
  const archived = new Map(manifest.tables.map((t) => [t.name, t.rows]));
  if (manifest.tables[0]?.name !== 'estates' || archived.get('estates') !== 1 || !archived.has('users')) {
    throw invalid('Arsip tidak memuat perumahannya.');
  }
  try {
    return await db.knex.transaction(async (trx) => {
      await enterScope(trx, PLATFORM);
      if (await trx('estates').where({ id: estateId }).first('id')) throw estateExists();
      const tables = await estateTablesInOrder(trx);
      for (const name of archived.keys()) {
        if (name !== 'estates' && name !== 'users' && !tables.includes(name)) throw invalid(`Tabel ${name} tidak dikenal di sini.`);
      }
      const result: LoadedEstate = {
        estate_id: estateId,
        estate_name: manifest.estate_name,
        rows: 0,
        files: manifest.files.length,
        accounts: { same_id: 0, matched_by_email: 0, created_invited: 0 },
      };
      const copy = async (table: string, fix: (row: Row) => Row) => {
        const columns = new Set(await columnsOf(trx, table));
        let batch: Row[] = [];
        let bytes = 0;
        let count = 0;
        for await (const raw of rowsOf(dir, table)) {
          const row = fix(raw);
          for (const [column, value] of Object.entries(row)) {
            if (!columns.has(column)) throw invalid(`Kolom ${table}.${column} tidak dikenal di sini.`);
            if (value !== null && typeof value === 'object') {
              const ref = (value as { $file?: unknown }).$file;
              if (typeof ref !== 'string' || !listedFiles.has(ref)) throw invalid(`Nilai ${table}.${column} tidak dikenal.`);
              const content = await fs.promises.readFile(path.join(dir, ref));
              bytes += content.length;
              row[column] = content;
            }
          }
          if (table !== 'estates' && row.estate_id !== estateId) throw invalid(`Baris ${table} milik perumahan lain.`);
          batch.push(opts.keepFile ? await opts.keepFile(table, row) : row);
          count++;
          if (batch.length >= BATCH_ROWS || bytes >= BATCH_BYTES) {
            await trx(table).insert(batch);
            batch = [];
            bytes = 0;
          }
        }
        if (batch.length) await trx(table).insert(batch);
        if (count !== archived.get(table)) throw new ArchiveError('ARCHIVE_TAMPERED', `Jumlah baris ${table} tidak cocok dengan manifest.`);
        result.rows += count;
      };

      // Who writes the cash book and whether the service is suspended are this installation's to decide.
      await copy('estates', (row) => {
        if (row.id !== estateId) throw invalid('Arsip tidak memuat perumahannya.');
        return { ...row, suspended_at: null, cashbook_home_site_id: null };
      });
      const accountOf = await placeAccounts(trx, dir, estateId, opts, result);
      const siteCodes = await siteCodeMove(dir, manifest, opts.sync.siteId);
      for (const table of tables) {
        if (!archived.has(table)) continue;
        await copy(table, (row) => {
          if ((table === 'memberships' || table === 'membership_invitations') && typeof row.user_id === 'string') {
            return { ...row, user_id: accountOf.get(row.user_id) ?? row.user_id };
          }
          if (table === 'site_codes' && siteCodes && row.site_id === manifest.source_site_id) return { ...row, site_id: opts.sync.siteId };
          return row;
        });
      }
      await trx('audit_log').insert({
        id: newId(),
        estate_id: estateId,
        actor_user_id: opts.actor.userId,
        actor_role: opts.actor.role,
        actor_device_id: opts.actor.deviceId ?? null,
        action: 'estates.import',
        entity_table: 'estates',
        entity_id: estateId,
        before: null,
        after: JSON.stringify({ source_site_id: manifest.source_site_id, exported_at: manifest.exported_at, rows: result.rows }),
        created_at: nowIso(),
      });
      return result;
    });
  } catch (err) {
    if (err instanceof Error && !isDatabaseRefusal(err)) throw err;
    // Two imports of one estate at once: the second waits on the first's estates row, then finds it taken.
    if (isUniqueViolation(err)) {
      const exists = await db.knex.transaction(async (trx): Promise<boolean> => {
        await enterScope(trx, PLATFORM);
        return Boolean(await trx('estates').where({ id: estateId }).first('id'));
      });
      if (exists) throw estateExists();
      throw new ConflictError('ARCHIVE_ROWS_EXIST', 'Sebagian data arsip ini sudah ada di instalasi ini (perumahan lain).');
    }
    // Rows that the database refuses (a missing parent, a value of the wrong kind) in an archive whose sums match:
    // one written by hand, not by an export.
    throw invalid('Isi arsip tidak dapat dimasukkan ke basis data ini.');
  }
}

/** A constraint or a value refused by the database (PostgreSQL classes 22 and 23, SQLite constraints). */
function isDatabaseRefusal(err: Error): boolean {
  const code = (err as { code?: unknown }).code;
  return typeof code === 'string' && (/^2[23]/.test(code) || code.startsWith('SQLITE_CONSTRAINT') || code === 'SQLITE_MISMATCH');
}

function estateExists(): ConflictError {
  return new ConflictError('ESTATE_EXISTS', 'Perumahan ini sudah ada di instalasi ini.');
}

/**
 * The archive's accounts on this installation. The same id: the same account (sites that sync share their
 * accounts' ids). Otherwise an account with the same e-mail: that person, who gets the estate's memberships; the
 * estate's history keeps naming the archive's id (the cash-book chain covers it). Otherwise a new account with the
 * archive's id, `invited` and without a password: the office sends it an invite link. Returns archive id → account.
 */
async function placeAccounts(
  trx: Knex.Transaction,
  dir: string,
  estateId: string,
  opts: { actor: Actor; sync: SyncContext },
  result: LoadedEstate,
): Promise<Map<string, string>> {
  const accountOf = new Map<string, string>();
  const platform = new PlatformStore(trx, opts.actor, opts.sync);
  for await (const user of rowsOf(dir, 'users')) {
    result.rows++;
    if (typeof user.id !== 'string' || Object.keys(user).some((k) => !(USER_COLUMNS as readonly string[]).includes(k))) {
      throw invalid('Baris akun tidak dapat dibaca.');
    }
    if (await trx('users').where({ id: user.id }).first('id')) {
      result.accounts.same_id++;
      continue;
    }
    const email = typeof user.email === 'string' ? user.email : null;
    const sameEmail = email
      ? ((await trx('users').whereRaw('lower("email") = lower(?)', [email]).whereNull('deleted_at').first('id')) as
          | { id: string }
          | undefined)
      : undefined;
    if (sameEmail) {
      accountOf.set(user.id, sameEmail.id);
      result.accounts.matched_by_email++;
      continue;
    }
    const phoneTaken = user.phone ? await trx('users').where({ phone: user.phone }).whereNull('deleted_at').first('id') : undefined;
    const deleted = user.deleted_at !== null && user.deleted_at !== undefined;
    await platform.insert(
      'users',
      {
        ...user,
        phone: phoneTaken ? null : (user.phone ?? null),
        status: deleted ? user.status : 'invited',
        password_hash: null,
        is_platform_admin: false,
        failed_logins: 0,
      },
      { estateId, action: 'users.import' },
    );
    result.accounts.created_invited++;
  }
  return accountOf;
}

/**
 * The numbers this estate minted on the exporting site went under that site's code; this installation takes the
 * code over (unless the archive already gives it one, when it was a site of the estate before), so its next payment
 * number follows the last one instead of starting a second series.
 */
async function siteCodeMove(dir: string, manifest: EstateManifest, siteId: string): Promise<boolean> {
  if (!manifest.tables.some((t) => t.name === 'site_codes')) return false;
  for await (const row of rowsOf(dir, 'site_codes')) if (row.site_id === siteId && !row.deleted_at) return false;
  return true;
}
