import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { nowIso } from '../db/clock.ts';
import { platformKnex } from '../db/platform-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { ConflictError, UnprocessableError } from '../http/errors.ts';
import { defineJob } from '../jobs/define-job.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { ENCRYPTED_SUFFIX, encryptFile } from './encrypted-file.ts';
import { parseRemote, type RemoteUpload } from './remote-upload.ts';
import { backupsToKeep } from './retention.ts';
import { deleteObject, headObject, putObject, putObjectFile, S3RequestError, type S3Target } from '../object-storage/index.ts';
import { s3TargetOf } from './s3-settings.ts';
import { backupsDir, installationZone, passphraseOf, readBackupSettings, type StoredSettings } from './service.ts';

/**
 * Backups to an S3-compatible bucket. Only the encrypted `.klbk` leaves the machine: after a backup is checked, a
 * durable job encrypts it with the backup passphrase, uploads it, reads the object back with a HEAD to confirm its
 * size, then removes from the bucket the objects the retention policy no longer keeps. A bucket that cannot be reached
 * is tried again with backoff; one that refuses the keys or does not exist fails at once, since trying again with the
 * same settings cannot help. Either way the local backup stays.
 */
export const UPLOAD_ATTEMPTS = 10;

class UploadMismatch extends Error {}

interface Failure {
  code: string;
  message: string;
  /** Trying again with the same settings would fail the same way. */
  permanent: boolean;
}

/** Words for the office (and a stable code) for what went wrong; never the keys. */
export function describeS3Failure(err: unknown): Failure {
  if (err instanceof S3RequestError) {
    if (err.status === null) {
      return { code: 'BACKUP_S3_UNREACHABLE', message: `Server S3 tidak dapat dihubungi (${err.code}).`, permanent: false };
    }
    if (err.status === 401 || err.status === 403) {
      return { code: 'BACKUP_S3_REJECTED', message: `Server S3 menolak kunci akses ini (${err.code}).`, permanent: true };
    }
    if (err.code === 'NoSuchBucket') {
      return { code: 'BACKUP_S3_NO_BUCKET', message: `Bucket S3 tidak ditemukan (${err.code}).`, permanent: true };
    }
    const permanent = err.status >= 400 && err.status < 500 && err.status !== 408 && err.status !== 429;
    return { code: 'BACKUP_S3_FAILED', message: `Server S3 menjawab HTTP ${err.status} (${err.code}).`, permanent };
  }
  if (err instanceof UploadMismatch) {
    return { code: 'BACKUP_S3_FAILED', message: 'Objek di S3 tidak sama dengan berkas yang diunggah.', permanent: false };
  }
  const code = (err as NodeJS.ErrnoException)?.code;
  return { code: 'BACKUP_S3_FAILED', message: `Unggahan gagal (${code ?? 'error'}).`, permanent: false };
}

/** How a backup's error names its failed upload; the part that goes once the upload succeeds after all. */
const UPLOAD_FAILED = 'Unggahan ke S3 gagal: ';

function withoutUploadFailure(error: string | null): string | null {
  if (!error) return null;
  const rest = error.split('; ').filter((part) => !part.startsWith(UPLOAD_FAILED));
  return rest.length ? rest.join('; ') : null;
}

export function objectKeyOf(settings: NonNullable<StoredSettings['s3']>, fileName: string): string {
  return `${settings.prefix}${fileName}${ENCRYPTED_SUFFIX}`;
}

export const backupUploadJob = defineJob({
  name: 'system.backup-upload',
  schema: z.object({ backup_id: z.string() }),
  // Talks to the outside world and records each try on the backup's own row.
  transactional: false,
  maxAttempts: UPLOAD_ATTEMPTS,
  leaseMs: 10 * 60_000,
  run: async (ctx, payload) => {
    await uploadBackup(ctx.app, payload.backup_id, ctx.attempt);
  },
});

/** After a backup is checked: its upload waits as a job, when the bucket is set up and on. */
export async function queueBackupUpload(app: AppContext, backupId: string): Promise<boolean> {
  const settings = await readBackupSettings(app.db.knex);
  const s3 = settings.s3;
  if (!s3?.enabled) return false;
  await platformKnex(app.db.knex).transaction(async (trx) => {
    const row = (await trx('backups').where({ id: backupId }).first('file_name')) as { file_name: string | null } | undefined;
    if (!row?.file_name) return;
    const remote: RemoteUpload = {
      status: 'pending',
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      key: objectKeyOf(s3, row.file_name),
      bytes: null,
      attempts: 0,
      error: null,
      uploaded_at: null,
      pruned_at: null,
    };
    await trx('backups')
      .where({ id: backupId })
      .update({ remote: JSON.stringify(remote) });
    await enqueueJob(trx, backupUploadJob, { backup_id: backupId }, { key: `upload:${backupId}` });
  });
  return true;
}

export async function uploadBackup(app: AppContext, backupId: string, attempt: number): Promise<void> {
  const knex = platformKnex(app.db.knex);
  const row = (await knex('backups').where({ id: backupId }).first('status', 'file_name', 'pruned_at', 'remote', 'error')) as
    | { status: string; file_name: string | null; pruned_at: string | null; remote: string | null; error: string | null }
    | undefined;
  const remote = parseRemote(row?.remote);
  if (!row || !remote || remote.status === 'ok') return;
  const save = (patch: Partial<RemoteUpload>) =>
    knex('backups')
      .where({ id: backupId })
      .update({ remote: JSON.stringify({ ...remote, ...patch, attempts: attempt }) });
  const settings = await readBackupSettings(app.db.knex);
  const s3 = settings.s3;
  if (!s3?.enabled) return void (await save({ status: 'skipped', error: 'Unggahan ke S3 dimatikan sebelum sempat berjalan.' }));
  const local = row.file_name ? path.join(backupsDir(app), row.file_name) : null;
  if (row.pruned_at || !local || !fs.existsSync(local)) {
    return void (await save({ status: 'skipped', error: 'Berkas cadangan lokal sudah dihapus oleh aturan penyimpanan.' }));
  }
  const failed = async (message: string, final: boolean) => {
    await save({ status: final ? 'failed' : 'retrying', error: message });
    if (!final) return;
    // The backup itself is marked: the list and the dashboard show it, and its local file stays.
    const text = `${UPLOAD_FAILED}${message}`;
    const before = withoutUploadFailure(row.error);
    await knex('backups')
      .where({ id: backupId })
      .update({ status: 'failed', error: before ? `${before}; ${text}` : text });
  };
  const passphrase = passphraseOf(app, settings);
  const target = s3TargetOf(app.dataDir, s3);
  if (!passphrase || !target) {
    return failed('kata sandi cadangan atau kunci rahasia S3 tidak dapat dibuka di komputer ini.', true);
  }
  const key = objectKeyOf(s3, row.file_name!);
  const encrypted = path.join(backupsDir(app), `.upload-${backupId}${ENCRYPTED_SUFFIX}`);
  try {
    await encryptFile(local, encrypted, passphrase);
    const put = await putObjectFile(target, key, encrypted);
    const head = await headObject(target, key);
    if (!head || head.bytes !== put.bytes || (put.etag && head.etag && put.etag !== head.etag)) throw new UploadMismatch();
    await save({ status: 'ok', endpoint: s3.endpoint, bucket: s3.bucket, key, bytes: put.bytes, error: null, uploaded_at: nowIso() });
    // Uploaded on a later try (the next night's run, or "upload again"): the backup is whole again, and the dashboard
    // stops warning unless something else about it failed.
    const rest = withoutUploadFailure(row.error);
    if (row.status === 'failed' && rest !== row.error) {
      await knex('backups')
        .where({ id: backupId })
        .update({ status: rest ? 'failed' : 'ok', error: rest });
    }
  } catch (err) {
    const failure = describeS3Failure(err);
    const final = failure.permanent || attempt >= UPLOAD_ATTEMPTS;
    await failed(failure.message, final);
    // A try that may succeed later goes back to the job queue with its backoff.
    if (!final) throw err;
    return;
  } finally {
    fs.rmSync(encrypted, { force: true });
  }
  await pruneBucket(app, settings, target);
}

/** Removes from the bucket the uploads the retention policy (7 daily / 4 weekly / 12 monthly by default) no longer keeps. */
async function pruneBucket(app: AppContext, settings: StoredSettings, target: S3Target): Promise<void> {
  const knex = platformKnex(app.db.knex);
  const rows = (await knex('backups').whereNotNull('remote').select('id', 'started_at', 'remote')) as Array<{
    id: string;
    started_at: string;
    remote: string;
  }>;
  // Only this bucket's objects: uploads to a bucket used before are the office's to manage.
  const uploaded = rows
    .map((r) => ({ id: r.id, started_at: r.started_at, remote: parseRemote(r.remote)! }))
    .filter(
      (r) => r.remote?.status === 'ok' && !r.remote.pruned_at && r.remote.endpoint === target.endpoint && r.remote.bucket === target.bucket,
    );
  const policy = { daily: settings.keep_daily, weekly: settings.keep_weekly, monthly: settings.keep_monthly };
  const keep = backupsToKeep(uploaded, policy, await installationZone(app.db.knex));
  for (const upload of uploaded) {
    if (keep.has(upload.id)) continue;
    try {
      await deleteObject(target, upload.remote.key);
    } catch {
      // Tried again after the next upload.
      continue;
    }
    await knex('backups')
      .where({ id: upload.id })
      .update({ remote: JSON.stringify({ ...upload.remote, pruned_at: nowIso() }) });
  }
}

/** Writes, reads back and deletes a small object with the saved settings. */
export async function testS3Connection(app: AppContext): Promise<{ ok: true; bucket: string; key: string }> {
  const settings = await readBackupSettings(app.db.knex);
  if (!settings.s3) throw new ConflictError('BACKUP_S3_NOT_SET', 'Simpan pengaturan S3 terlebih dahulu.');
  const target = s3TargetOf(app.dataDir, settings.s3);
  if (!target)
    throw new ConflictError(
      'BACKUP_S3_SECRET_UNREADABLE',
      'Kunci rahasia S3 tidak dapat dibuka di komputer ini: isi lagi.',
      's3.secret_key',
    );
  const key = `${settings.s3.prefix}.klustera-connection-test-${randomBytes(6).toString('hex')}`;
  const body = Buffer.from(`Klustera connection test ${nowIso()}\n`);
  try {
    await putObject(target, key, body);
    const head = await headObject(target, key);
    if (!head || head.bytes !== body.length) throw new UploadMismatch();
    await deleteObject(target, key);
  } catch (err) {
    const failure = describeS3Failure(err);
    throw new UnprocessableError(failure.code, failure.message);
  }
  return { ok: true, bucket: target.bucket, key };
}
