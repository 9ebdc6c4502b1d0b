import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Knex } from 'knex';
import { z } from 'zod';
import { localDateOfInstant, zoneOffsetMs } from '../calendar/calendar.ts';
import { verifyAllCashbooks } from '../cashbook/index.ts';
import { backupDatabase, readBackup } from '../db/backup.ts';
import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { PlatformStore, platformKnex } from '../db/platform-store.ts';
import type { Actor } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { ConflictError, ValidationError } from '../http/errors.ts';
import { openSecret, sealSecret, secretsKey } from '../secrets/index.ts';
import { ENCRYPTED_SUFFIX, encryptFile } from './encrypted-file.ts';
import { remoteView } from './remote-upload.ts';
import { backupsToKeep } from './retention.ts';
import { prepareS3Settings, type S3SettingsInput, type StoredS3Settings, viewOfS3Settings } from './s3-settings.ts';
import { RESTORED_NOTICE_MS, readRestoredFrom } from './restore-marker.ts';

/**
 * The installation's scheduled backups (SQLite: the desktop and the mini PC). Each backup is a checked copy of the
 * database in `<data folder>/backups/`, and, when a copy folder is set (a USB disk), an encrypted copy there. The
 * hosted instance on PostgreSQL is backed up by its operator's PostgreSQL tooling (server/README.md).
 */
const SETTINGS_KEY = 'backups';
const FILE_PATTERN = /^klustera-(\d{4}-\d{2}-\d{2})-(\d{6})-[0-9a-f]{6}\.sqlite$/;
const INTERRUPTED_AFTER_MS = 30 * 60_000;

/** Removing what a failed step left: a path that is gone (or was never a folder) is not an error of its own. */
function removeQuietly(file: string): void {
  try {
    fs.rmSync(file, { force: true });
  } catch {
    // ENOTDIR and the like: nothing of ours is there.
  }
}

/** No successful backup for this long shows a warning on the dashboard. */
export const BACKUP_STALE_MS = 36 * 3_600_000;

export const backupSettingsSchema = z.object({
  enabled: z.boolean(),
  /** Local time of the daily backup, in the estate's calendar. */
  time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
  keep_daily: z.number().int().min(1).max(60),
  keep_weekly: z.number().int().min(0).max(52),
  keep_monthly: z.number().int().min(0).max(120),
  copy_folder: z.string().max(500).nullable(),
});
export type BackupSettings = z.infer<typeof backupSettingsSchema>;

export interface StoredSettings extends BackupSettings {
  passphrase_enc: string | null;
  s3: StoredS3Settings | null;
}

const DEFAULTS: StoredSettings = {
  enabled: true,
  time: '02:00',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 12,
  copy_folder: null,
  passphrase_enc: null,
  s3: null,
};

export async function readBackupSettings(knex: Knex): Promise<StoredSettings> {
  const row = (await platformKnex(knex)('installation_settings').where({ key: SETTINGS_KEY }).first('value')) as
    | { value: string }
    | undefined;
  if (!row) return { ...DEFAULTS };
  try {
    return { ...DEFAULTS, ...(JSON.parse(row.value) as Partial<StoredSettings>) };
  } catch {
    return { ...DEFAULTS };
  }
}

const PASSPHRASE_CONTEXT = 'installation_settings:backups:passphrase';

export function passphraseOf(app: AppContext, settings: StoredSettings): string | null {
  return settings.passphrase_enc ? openSecret(secretsKey(app.dataDir), settings.passphrase_enc, PASSPHRASE_CONTEXT) : null;
}

export function settingsView(settings: StoredSettings) {
  const { passphrase_enc, s3, ...rest } = settings;
  return { ...rest, has_passphrase: Boolean(passphrase_enc), s3: viewOfS3Settings(s3) };
}

export interface SettingsInput extends BackupSettings {
  passphrase?: string | null;
  /** Absent keeps the stored bucket, null forgets it. */
  s3?: S3SettingsInput | null;
}

function assertWritableFolder(folder: string): void {
  const probe = path.join(folder, `.klustera-write-test-${process.pid}`);
  try {
    fs.mkdirSync(folder, { recursive: true });
    fs.writeFileSync(probe, 'ok');
    fs.rmSync(probe, { force: true });
  } catch {
    throw new ValidationError(
      'Folder salinan tidak dapat ditulisi. Periksa bahwa disk terpasang dan boleh ditulisi.',
      'copy_folder',
      'BACKUP_FOLDER_UNWRITABLE',
    );
  }
}

export async function saveBackupSettings(app: AppContext, actor: Actor, input: SettingsInput) {
  const current = await readBackupSettings(app.db.knex);
  const folder = input.copy_folder?.trim() ? input.copy_folder.trim() : null;
  if (folder !== null) {
    if (folder.includes('\0') || !path.isAbsolute(folder)) {
      throw new ValidationError(
        'Folder salinan harus berupa alamat folder lengkap, misalnya /media/usb atau E:\\Klustera.',
        'copy_folder',
        'BACKUP_FOLDER_INVALID',
      );
    }
    if (path.resolve(folder).startsWith(path.resolve(app.dataDir))) {
      throw new ValidationError(
        'Folder salinan harus di luar folder data (sebaiknya di disk lain).',
        'copy_folder',
        'BACKUP_FOLDER_INVALID',
      );
    }
  }
  let passphraseEnc = current.passphrase_enc;
  if (input.passphrase === null) passphraseEnc = null;
  else if (typeof input.passphrase === 'string') {
    if (input.passphrase.length < 8 || input.passphrase.length > 200 || input.passphrase.includes('\0')) {
      throw new ValidationError('Kata sandi cadangan minimal 8 karakter.', 'passphrase', 'BACKUP_PASSPHRASE_TOO_SHORT');
    }
    passphraseEnc = sealSecret(secretsKey(app.dataDir), input.passphrase, PASSPHRASE_CONTEXT);
  }
  // A copy that leaves the machine is always encrypted: without a passphrase there is no copy folder.
  if (folder !== null && !passphraseEnc) {
    throw new ConflictError('BACKUP_PASSPHRASE_REQUIRED', 'Salinan ke disk lain dienkripsi: isi kata sandi cadangan dulu.', 'passphrase');
  }
  const s3 = input.s3 === undefined ? current.s3 : input.s3 === null ? null : prepareS3Settings(app.dataDir, current.s3, input.s3);
  // Only encrypted backups leave the machine.
  if (s3?.enabled && !passphraseEnc) {
    throw new ConflictError('BACKUP_PASSPHRASE_REQUIRED', 'Cadangan ke S3 dienkripsi: isi kata sandi cadangan dulu.', 'passphrase');
  }
  if (folder !== null) assertWritableFolder(folder);
  const next: StoredSettings = {
    enabled: input.enabled,
    time: input.time,
    keep_daily: input.keep_daily,
    keep_weekly: input.keep_weekly,
    keep_monthly: input.keep_monthly,
    copy_folder: folder,
    passphrase_enc: passphraseEnc,
    s3,
  };
  await new PlatformStore(app.db.knex, actor, app.sync).transaction(async (tx) => {
    const at = nowIso();
    const value = JSON.stringify(next);
    const existing = (await tx.query('installation_settings').where({ key: SETTINGS_KEY }).first('id')) as { id: string } | undefined;
    const write = { estateId: null, action: 'installation.backups.update' };
    if (existing) await tx.update('installation_settings', (q) => q.where({ id: existing.id }), { value, updated_at: at }, write);
    else await tx.insert('installation_settings', { key: SETTINGS_KEY, value, created_at: at, updated_at: at }, write);
  });
  return settingsView(next);
}

/** The calendar the schedule and the file names follow: the (first) estate's, as on a desktop with one estate. */
export async function installationZone(knex: Knex): Promise<string> {
  const estate = (await platformKnex(knex)('estates').whereNull('deleted_at').orderBy('created_at').first('timezone')) as
    | { timezone: string }
    | undefined;
  return estate?.timezone ?? 'Asia/Jakarta';
}

/** `HH:MM` of `now` in `zone`. */
export function localTimeOf(now: Date, zone: string): string {
  const local = new Date(now.getTime() + zoneOffsetMs(zone, now.getTime()));
  return `${String(local.getUTCHours()).padStart(2, '0')}:${String(local.getUTCMinutes()).padStart(2, '0')}`;
}

function fileNameAt(now: Date, zone: string): string {
  const local = new Date(now.getTime() + zoneOffsetMs(zone, now.getTime()));
  const hms = [local.getUTCHours(), local.getUTCMinutes(), local.getUTCSeconds()].map((n) => String(n).padStart(2, '0')).join('');
  // Two backups in one second (a click while the schedule runs) must not share a file: removing the older one by the
  // retention policy would remove the newer one's copy with it.
  return `klustera-${localDateOfInstant(now.toISOString(), zone)}-${hms}-${randomBytes(3).toString('hex')}.sqlite`;
}

export function backupsDir(app: AppContext): string {
  return path.join(app.dataDir, 'backups');
}

export interface BackupChecks {
  integrity: 'ok';
  cashbooks: Array<{ estate_id: string; name: string; ok: boolean; checked: number; first_broken: unknown }>;
}
export interface BackupCopy {
  folder: string;
  file: string | null;
  ok: boolean;
  error: string | null;
}

/**
 * Makes one backup now: the copy (checked page by page on a worker thread), its cash-book chains re-verified from the
 * copy, the encrypted copy to the copy folder, then old backups removed by the retention policy. Every outcome is a
 * row in `backups`; a failure is recorded and rethrown so the job is retried.
 */
export async function runBackup(app: AppContext, trigger: 'schedule' | 'manual', now: Date = new Date()) {
  if (app.db.dialect !== 'sqlite') throw new ConflictError('BACKUPS_NOT_HERE', 'Cadangan terjadwal hanya untuk database bawaan (SQLite).');
  const knex = platformKnex(app.db.knex);
  // A backup still "running" long past its job's lease was cut off by a stopped server.
  await knex('backups')
    .where({ status: 'running' })
    .where('started_at', '<', new Date(Date.now() - INTERRUPTED_AFTER_MS).toISOString())
    .update({ status: 'failed', finished_at: nowIso(), error: 'terputus: server berhenti saat mencadangkan' });
  const settings = await readBackupSettings(app.db.knex);
  const zone = await installationZone(app.db.knex);
  const id = newId();
  const fileName = fileNameAt(now, zone);
  await knex('backups').insert({ id, trigger, status: 'running', started_at: now.toISOString(), file_name: fileName });
  const target = path.join(backupsDir(app), fileName);
  let fileKept = false;
  try {
    const written = await backupDatabase(app.dataDir, target, 'integrity_check');
    fileKept = true;
    const cashbooks = (await readBackup(target, verifyAllCashbooks)).map(({ estate_id, name, result }) => ({
      estate_id,
      name,
      ok: result.ok,
      checked: result.checked,
      first_broken: result.first_broken,
    }));
    const checks: BackupChecks = { integrity: 'ok', cashbooks };
    const copies: BackupCopy[] = [];
    if (settings.copy_folder) copies.push(await copyOut(app, settings, target, fileName));
    const broken = cashbooks.filter((c) => !c.ok);
    const failedCopy = copies.find((c) => !c.ok);
    const error = broken.length
      ? `Rantai buku kas rusak: ${broken.map((b) => b.name).join(', ')}`
      : failedCopy
        ? `Salinan ke ${failedCopy.folder} gagal: ${failedCopy.error}`
        : null;
    await knex('backups')
      .where({ id })
      .update({
        status: error ? 'failed' : 'ok',
        finished_at: nowIso(),
        bytes: written.bytes,
        checks: JSON.stringify(checks),
        copies: JSON.stringify(copies),
        error,
      });
    await pruneBackups(app, settings, zone);
    return { id, status: error ? ('failed' as const) : ('ok' as const), error };
  } catch (err) {
    if (!fileKept) removeQuietly(target);
    await knex('backups')
      .where({ id })
      .update({
        status: 'failed',
        finished_at: nowIso(),
        file_name: fileKept ? fileName : null,
        error: String((err as Error).message ?? err).slice(0, 1000),
      });
    throw err;
  }
}

async function copyOut(app: AppContext, settings: StoredSettings, source: string, fileName: string): Promise<BackupCopy> {
  const folder = settings.copy_folder!;
  const passphrase = passphraseOf(app, settings);
  if (!passphrase) return { folder, file: null, ok: false, error: 'kata sandi cadangan tidak dapat dibuka di komputer ini' };
  const file = path.join(folder, fileName + ENCRYPTED_SUFFIX);
  const partial = `${file}.${process.pid}.partial`;
  try {
    fs.mkdirSync(folder, { recursive: true });
    await encryptFile(source, partial, passphrase);
    fs.renameSync(partial, file);
    return { folder, file, ok: true, error: null };
  } catch (err) {
    removeQuietly(partial);
    return { folder, file: null, ok: false, error: (err as NodeJS.ErrnoException).code ?? (err as Error).message };
  }
}

/** Removes the backups (and their copies) the retention policy no longer keeps. */
async function pruneBackups(app: AppContext, settings: StoredSettings, zone: string): Promise<void> {
  const knex = platformKnex(app.db.knex);
  const present = (await knex('backups')
    .whereNotNull('file_name')
    .whereNull('pruned_at')
    .whereNot('status', 'running')
    .select('id', 'started_at', 'file_name', 'copies')) as Array<{
    id: string;
    started_at: string;
    file_name: string;
    copies: string | null;
  }>;
  const keep = backupsToKeep(present, { daily: settings.keep_daily, weekly: settings.keep_weekly, monthly: settings.keep_monthly }, zone);
  for (const backup of present) {
    if (keep.has(backup.id) || !FILE_PATTERN.test(backup.file_name)) continue;
    removeQuietly(path.join(backupsDir(app), backup.file_name));
    // A copy on a disk that is not plugged in now stays there; the disk's own files are the office's.
    for (const copy of JSON.parse(backup.copies ?? '[]') as BackupCopy[]) {
      if (copy.file) removeQuietly(copy.file);
    }
    await knex('backups').where({ id: backup.id }).update({ pruned_at: nowIso() });
  }
}

export type BackupState = 'ok' | 'pending' | 'failed' | 'missing' | 'unavailable';

/** What the dashboard shows: the backups' state and, for two weeks after the office restored one, which one it was. */
export async function backupStatus(app: AppContext, now: Date = new Date()) {
  const state = await backupState(app, now);
  const restored = app.db.dialect === 'sqlite' ? await readRestoredFrom(app.db.knex) : null;
  const recent = restored && now.getTime() - Date.parse(restored.restored_at) < RESTORED_NOTICE_MS ? restored : null;
  return { ...state, restored_from: recent };
}

/** What the dashboard warns about: the last backup failed, or none succeeded for 36 hours (or ever, once set up a day and a half ago). */
async function backupState(app: AppContext, now: Date): Promise<{ state: BackupState; last_ok_at: string | null }> {
  if (app.db.dialect !== 'sqlite') return { state: 'unavailable', last_ok_at: null };
  const knex = platformKnex(app.db.knex);
  const lastOk = (await knex('backups').where({ status: 'ok' }).orderBy('started_at', 'desc').first('started_at')) as
    | { started_at: string }
    | undefined;
  const last = (await knex('backups').whereNot('status', 'running').orderBy('started_at', 'desc').first('status')) as
    | { status: string }
    | undefined;
  const lastOkAt = lastOk?.started_at ?? null;
  if (last?.status === 'failed') return { state: 'failed', last_ok_at: lastOkAt };
  if (!lastOkAt) {
    // A new installation is not warned before its first night: the first backup is due within a day of setup.
    const first = (await knex('estates').orderBy('created_at').first('created_at')) as { created_at: string } | undefined;
    const age = first ? now.getTime() - Date.parse(first.created_at) : 0;
    return { state: age > BACKUP_STALE_MS ? 'missing' : 'pending', last_ok_at: null };
  }
  if (now.getTime() - Date.parse(lastOkAt) > BACKUP_STALE_MS) return { state: 'missing', last_ok_at: lastOkAt };
  return { state: 'ok', last_ok_at: lastOkAt };
}

export async function listBackups(app: AppContext) {
  const rows = (await platformKnex(app.db.knex)('backups').orderBy('started_at', 'desc').limit(60).select('*')) as Array<
    Record<string, unknown>
  >;
  return rows.map((r) => ({
    id: r.id as string,
    trigger: r.trigger as 'schedule' | 'manual',
    status: r.status as 'running' | 'ok' | 'failed',
    started_at: r.started_at as string,
    finished_at: (r.finished_at as string | null) ?? null,
    file_name: r.pruned_at ? null : ((r.file_name as string | null) ?? null),
    bytes: r.bytes === null || r.bytes === undefined ? null : Number(r.bytes),
    checks: r.checks ? (JSON.parse(r.checks as string) as BackupChecks) : null,
    copies: r.copies ? (JSON.parse(r.copies as string) as BackupCopy[]) : [],
    error: (r.error as string | null) ?? null,
    pruned: Boolean(r.pruned_at),
    remote: remoteView(r.remote as string | null),
  }));
}
