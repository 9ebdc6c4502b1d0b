import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { verifyAllCashbooks } from '../cashbook/index.ts';
import { assertKlusteraDatabase, copyCheckedDatabase, migrateCopy, replaceDatabaseFile } from '../db/backup.ts';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { openDatabase, type Database } from '../db/knex.ts';
import { PlatformStore, platformKnex } from '../db/platform-store.ts';
import type { Actor } from '../db/scoped-store.ts';
import { loadSyncContext } from '../db/sync-context.ts';
import type { AppContext } from '../http/app-context.ts';
import { ConflictError, NotFoundError, UnprocessableError, ValidationError } from '../http/errors.ts';
import { BackupPassphraseError, decryptFile, isEncryptedBackup } from './encrypted-file.ts';
import { RESTORED_FROM_KEY, type RestoredFrom } from './restore-marker.ts';
import { backupsDir } from './service.ts';

/**
 * Restore from the office: a backup is first brought into a staging folder of its own inside the data folder (never
 * over the live file), checked as a backup is (every page, Klustera's schema, migrated to this version, cash-book
 * chains), and compared with the live database, estate by estate. Only after the office has seen what would be lost
 * and typed the estate's name does the switch put it in place: the live file kept as a safety copy, the staged one
 * renamed over it, and the server's connections reopened on it (`AppContext.replaceDatabase`). `klustera restore`
 * shares the copying, checking and replacing (db/backup.ts).
 */

/** An uploaded backup is held in memory by the upload parser: larger databases are restored with `klustera restore`. */
export const RESTORE_UPLOAD_MAX_BYTES = 200 * 1024 * 1024;

const STAGING = 'restore-staging';
/**
 * Where an uploaded backup is streamed while it arrives: beside the staging folder, not in it, since preparing a
 * restore empties the staging folder and would remove another upload still arriving.
 */
const INCOMING = 'restore-incoming';

export function restoreIncomingFolder(app: AppContext): string {
  return path.join(app.dataDir, INCOMING);
}

/**
 * An upload cut off by a stopped server leaves its partial file in the incoming folder. One still arriving is written
 * to all the time, so a file untouched for an hour is such a leftover.
 */
function removeAbandonedUploads(app: AppContext): void {
  const folder = restoreIncomingFolder(app);
  const before = Date.now() - 3_600_000;
  for (const name of fs.existsSync(folder) ? fs.readdirSync(folder) : []) {
    const file = path.join(folder, name);
    try {
      if (fs.statSync(file).mtimeMs < before) fs.rmSync(file, { force: true });
    } catch {
      // Gone meanwhile.
    }
  }
}
const STAGED_FILE = 'klustera.sqlite';
const MANIFEST = 'restore.json';
const ID_PATTERN = /^[0-9a-f-]{36}$/;

export interface EstateFigures {
  estate_id: string;
  name: string;
  units: number;
  residents: number;
  invoices: number;
  payments: number;
  cashbook_entries: number;
  accounts: Array<{ account_id: string; name: string; balance: number }>;
  last_receipt_number: string | null;
  newest_payment_at: string | null;
}

export interface RestoreComparison {
  estate_id: string;
  name: string;
  backup: EstateFigures | null;
  live: EstateFigures | null;
}

export interface StagedRestore {
  id: string;
  staged_at: string;
  source: { kind: 'listed'; backup_id: string; file_name: string } | { kind: 'upload'; file_name: string };
  /** When the backup was made: the listed backup's start, or the last change recorded in an uploaded file. */
  backup_at: string | null;
  /** Migrations this version applied to the staged copy (a backup from an older version). */
  migrated: string[];
  /** The name the office types to confirm: the backup's first estate. */
  confirm_name: string;
  estates: RestoreComparison[];
}

function stagingRoot(app: AppContext): string {
  return path.join(app.dataDir, STAGING);
}

function stagingDir(app: AppContext, id: string): string {
  if (!ID_PATTERN.test(id)) throw new NotFoundError('Pemulihan yang disiapkan', 'RESTORE_NOT_FOUND');
  return path.join(stagingRoot(app), id);
}

function assertHere(app: AppContext): void {
  if (app.db.dialect !== 'sqlite' || !app.replaceDatabase) {
    throw new ConflictError(
      'RESTORE_NOT_HERE',
      'Pemulihan dari kantor hanya untuk database bawaan (SQLite). Di server PostgreSQL, perumahan dipindahkan dengan ekspor dan impor per perumahan.',
    );
  }
}

function count(knex: Knex, table: string, estateId: string, live = false): Promise<number> {
  const q = knex(table).where({ estate_id: estateId });
  if (live) q.whereNull('deleted_at');
  return q.count({ n: '*' }).then((rows) => Number((rows[0] as { n: number | string }).n));
}

/** What the treasurer recognises of an estate's books: how many of each record, each account's balance, the last numbers. */
export async function estateFigures(knex: Knex): Promise<EstateFigures[]> {
  const estates = (await knex('estates').whereNull('deleted_at').orderBy('name').select('id', 'name')) as Array<{
    id: string;
    name: string;
  }>;
  const out: EstateFigures[] = [];
  for (const estate of estates) {
    const accounts = (await knex('cashbook_accounts').where({ estate_id: estate.id }).orderBy('name').select('id', 'name')) as Array<{
      id: string;
      name: string;
    }>;
    const sums = (await knex('cashbook_entries')
      .where({ estate_id: estate.id })
      .groupBy('account_id', 'direction')
      .select('account_id', 'direction')
      .sum({ total: 'amount' })) as Array<{ account_id: string; direction: 'in' | 'out'; total: number | string }>;
    const balance = new Map<string, number>();
    for (const s of sums) balance.set(s.account_id, (balance.get(s.account_id) ?? 0) + (s.direction === 'in' ? 1 : -1) * Number(s.total));
    const lastReceipt = (await knex('receipts')
      .where({ estate_id: estate.id })
      .orderBy([
        { column: 'created_at', order: 'desc' },
        { column: 'receipt_number', order: 'desc' },
      ])
      .first('receipt_number')) as { receipt_number: string } | undefined;
    const newestPayment = (await knex('payments').where({ estate_id: estate.id }).max({ at: 'paid_at' })) as Array<{ at: string | null }>;
    out.push({
      estate_id: estate.id,
      name: estate.name,
      units: await count(knex, 'units', estate.id, true),
      residents: await count(knex, 'residents', estate.id, true),
      invoices: await count(knex, 'invoices', estate.id),
      payments: await count(knex, 'payments', estate.id),
      cashbook_entries: await count(knex, 'cashbook_entries', estate.id),
      accounts: accounts.map((a) => ({ account_id: a.id, name: a.name, balance: balance.get(a.id) ?? 0 })),
      last_receipt_number: lastReceipt?.receipt_number ?? null,
      newest_payment_at: newestPayment[0]?.at ?? null,
    });
  }
  return out;
}

function compare(backup: EstateFigures[], live: EstateFigures[]): RestoreComparison[] {
  const ids = [...new Set([...backup.map((e) => e.estate_id), ...live.map((e) => e.estate_id)])];
  return ids.map((id) => {
    const b = backup.find((e) => e.estate_id === id) ?? null;
    const l = live.find((e) => e.estate_id === id) ?? null;
    return { estate_id: id, name: (b ?? l)!.name, backup: b, live: l };
  });
}

function writeManifest(dir: string, staged: StagedRestore): void {
  fs.writeFileSync(path.join(dir, MANIFEST), `${JSON.stringify(staged)}\n`, { mode: 0o600 });
}

function readManifest(app: AppContext, id: string): StagedRestore {
  try {
    return JSON.parse(fs.readFileSync(path.join(stagingDir(app, id), MANIFEST), 'utf8')) as StagedRestore;
  } catch (err) {
    if (err instanceof NotFoundError) throw err;
    throw new NotFoundError('Pemulihan yang disiapkan', 'RESTORE_NOT_FOUND');
  }
}

async function withStagedDatabase<T>(dir: string, use: (db: Database) => Promise<T>): Promise<T> {
  const db = openDatabase({ dataDir: dir });
  try {
    return await use(db);
  } finally {
    await db.close();
  }
}

export type RestoreSource =
  | { kind: 'listed'; backupId: string }
  | {
      kind: 'upload';
      fileName: string /** The upload as streamed to disk; moved into the staging folder. */;
      path: string;
      passphrase?: string;
    };

async function sourceFile(app: AppContext, dir: string, source: RestoreSource) {
  if (source.kind === 'listed') {
    const row = (await platformKnex(app.db.knex)('backups').where({ id: source.backupId }).first('*')) as
      | { id: string; status: string; file_name: string | null; pruned_at: string | null; started_at: string }
      | undefined;
    const file = row?.file_name && !row.pruned_at ? path.join(backupsDir(app), row.file_name) : null;
    if (!row || row.status !== 'ok' || !file || !fs.existsSync(file)) {
      throw new NotFoundError('Cadangan yang dipilih', 'BACKUP_NOT_FOUND');
    }
    return {
      file,
      backupAt: row.started_at,
      label: { kind: 'listed' as const, backup_id: row.id, file_name: row.file_name! },
    };
  }
  const uploaded = path.join(dir, 'upload.bin');
  fs.renameSync(source.path, uploaded);
  fs.chmodSync(uploaded, 0o600);
  let file = uploaded;
  if (isEncryptedBackup(uploaded)) {
    if (!source.passphrase) {
      throw new ValidationError('Cadangan ini terenkripsi: isi kata sandi cadangannya.', 'passphrase', 'BACKUP_PASSPHRASE_REQUIRED');
    }
    file = path.join(dir, 'decrypted.sqlite');
    try {
      await decryptFile(uploaded, file, source.passphrase);
    } catch (err) {
      if (!(err instanceof BackupPassphraseError)) throw err;
      throw new ValidationError('Kata sandi cadangan salah, atau berkas cadangannya rusak.', 'passphrase', 'BACKUP_PASSPHRASE_WRONG');
    }
  }
  return { file, backupAt: null, label: { kind: 'upload' as const, file_name: source.fileName.slice(0, 200) } };
}

/** Brings a backup into a fresh staging folder, checks and migrates it there, and compares it with the live database. */
export async function stageRestore(app: AppContext, source: RestoreSource): Promise<StagedRestore> {
  assertHere(app);
  const root = stagingRoot(app);
  // One restore is prepared at a time: a new choice replaces an earlier one the office did not switch to.
  fs.rmSync(root, { recursive: true, force: true });
  removeAbandonedUploads(app);
  const id = newId();
  const dir = path.join(root, id);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  try {
    const { file, backupAt, label } = await sourceFile(app, dir, source);
    const staged = path.join(dir, STAGED_FILE);
    try {
      await copyCheckedDatabase(file, staged);
    } catch {
      throw new UnprocessableError(
        'BACKUP_UNUSABLE',
        'Berkas ini bukan cadangan Klustera yang utuh (rusak, terpotong, atau bukan cadangan). Tidak ada yang diubah.',
      );
    }
    for (const leftover of ['upload.bin', 'decrypted.sqlite']) fs.rmSync(path.join(dir, leftover), { force: true });
    const { migrated, figures, lastChange } = await withStagedDatabase(dir, async (db) => {
      let migrated: string[];
      try {
        // The copy made before migrating belongs to the staging folder and goes with it.
        migrated = await migrateCopy(db, path.join(dir, 'before-migrating'));
      } catch (err) {
        if ((err as { code?: unknown }).code !== 'UNKNOWN_MIGRATIONS') throw err;
        throw new UnprocessableError(
          'BACKUP_NEWER_SCHEMA',
          'Cadangan ini dibuat oleh Klustera versi yang lebih baru. Perbarui aplikasi dulu, lalu pulihkan lagi.',
        );
      }
      const broken = (await verifyAllCashbooks(db.knex)).filter((c) => !c.result.ok);
      if (broken.length) {
        throw new UnprocessableError(
          'BACKUP_CASHBOOK_BROKEN',
          `Rantai buku kas di cadangan ini rusak (${broken.map((b) => b.name).join(', ')}): cadangan ini tidak dapat dipulihkan.`,
        );
      }
      const last = (await db.knex('audit_log').max({ at: 'created_at' })) as Array<{ at: string | null }>;
      return { migrated, figures: await estateFigures(db.knex), lastChange: last[0]?.at ?? null };
    });
    fs.rmSync(path.join(dir, 'before-migrating'), { recursive: true, force: true });
    if (!figures.length) throw new UnprocessableError('BACKUP_UNUSABLE', 'Cadangan ini tidak berisi perumahan apa pun.');
    const live = await estateFigures(platformKnex(app.db.knex) as unknown as Knex);
    const result: StagedRestore = {
      id,
      staged_at: nowIso(),
      source: label,
      backup_at: backupAt ?? lastChange,
      migrated,
      confirm_name: figures[0].name,
      estates: compare(figures, live),
    };
    writeManifest(dir, result);
    return result;
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

export function stagedRestore(app: AppContext, id: string): StagedRestore {
  assertHere(app);
  return readManifest(app, id);
}

/** Removes the staging folder: the live database was never touched. */
export function cancelRestore(app: AppContext, id: string): void {
  assertHere(app);
  const dir = stagingDir(app, id);
  if (!fs.existsSync(dir)) throw new NotFoundError('Pemulihan yang disiapkan', 'RESTORE_NOT_FOUND');
  fs.rmSync(dir, { recursive: true, force: true });
}

const switching = new WeakSet<AppContext>();

function confirmMatches(typed: string, name: string): boolean {
  const norm = (s: string) => s.normalize('NFC').trim().replace(/\s+/g, ' ').toLocaleLowerCase('id');
  return norm(typed) === norm(name);
}

/**
 * Puts the staged database in place of the live one. One switch at a time per server: a second request while one
 * runs answers 409 and changes nothing.
 */
export async function switchToStaged(
  app: AppContext,
  actor: Actor,
  id: string,
  confirm: string,
  sessionId: string | undefined,
): Promise<{ restored_from: RestoredFrom; previous: string | null; session_kept: boolean }> {
  assertHere(app);
  if (switching.has(app)) throw new ConflictError('RESTORE_IN_PROGRESS', 'Pemulihan sedang berjalan. Tunggu sampai selesai.');
  switching.add(app);
  try {
    const staged = readManifest(app, id);
    if (!confirmMatches(confirm, staged.confirm_name)) {
      throw new ValidationError(
        `Ketik nama perumahan "${staged.confirm_name}" persis untuk memastikan.`,
        'confirm',
        'RESTORE_CONFIRM_MISMATCH',
      );
    }
    const dir = stagingDir(app, id);
    const file = path.join(dir, STAGED_FILE);
    try {
      assertKlusteraDatabase(file, 'quick_check');
    } catch {
      throw new UnprocessableError('BACKUP_UNUSABLE', 'Salinan yang disiapkan tidak utuh lagi. Siapkan pemulihan dari awal.');
    }
    const restoredFrom: RestoredFrom = {
      backup_at: staged.backup_at,
      restored_at: nowIso(),
      source: staged.source.file_name,
      by_user_id: actor.userId ?? null,
    };
    // Recorded in the staged file itself, so the dashboard of the restored books says where they came from.
    await withStagedDatabase(dir, async (db) => {
      const sync = await loadSyncContext(db.knex);
      await new PlatformStore(db.knex, actor, sync).transaction(async (tx) => {
        const value = JSON.stringify(restoredFrom);
        const at = restoredFrom.restored_at;
        const existing = (await tx.query('installation_settings').where({ key: RESTORED_FROM_KEY }).first('id')) as
          | { id: string }
          | undefined;
        const write = { estateId: null, action: 'installation.restore' };
        if (existing) await tx.update('installation_settings', (q) => q.where({ id: existing.id }), { value, updated_at: at }, write);
        else await tx.insert('installation_settings', { key: RESTORED_FROM_KEY, value, created_at: at, updated_at: at }, write);
      });
    });
    let previous: string | null = null;
    app.replacingDatabase = true;
    try {
      await app.replaceDatabase!(async () => {
        ({ previous } = await replaceDatabaseFile(app.dataDir, file));
      });
    } finally {
      app.replacingDatabase = false;
    }
    fs.rmSync(dir, { recursive: true, force: true });
    const kept = sessionId
      ? ((await platformKnex(app.db.knex)('sessions')
          .where({ id: sessionId })
          .whereNull('revoked_at')
          .where('expires_at', '>', nowIso())
          .first('id')) as unknown)
      : undefined;
    return { restored_from: restoredFrom, previous, session_kept: Boolean(kept) };
  } finally {
    switching.delete(app);
  }
}
