import fs from 'node:fs';
import path from 'node:path';
import { platformKnex } from '../db/platform-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { enqueueJob } from '../jobs/job-queue.ts';
import { parseRemote, type RemoteUpload } from './remote-upload.ts';
import { backupUploadJob, objectKeyOf } from './s3-upload.ts';
import { backupsDir, readBackupSettings } from './service.ts';

/**
 * Uploads that failed for good (the bucket refused the keys, or stayed unreachable past its tries) are put back in the
 * queue, oldest first: by the next backup run and by "upload again" in the office. Only backups whose local file the
 * retention policy still keeps qualify, so the bucket ends up holding what the policy keeps; each upload prunes the
 * bucket by that policy as before.
 *
 * Each backup moves from `failed` to `pending` by a compare-and-set on its stored upload, in the transaction that
 * enqueues its job: two clicks at once, or a click during the nightly run, put one upload in the queue, not two.
 */
export async function queueFailedUploadsAgain(app: AppContext): Promise<{ queued: number }> {
  if (app.db.dialect !== 'sqlite') return { queued: 0 };
  const s3 = (await readBackupSettings(app.db.knex)).s3;
  if (!s3?.enabled) return { queued: 0 };
  const knex = platformKnex(app.db.knex);
  const rows = (await knex('backups')
    .whereNotNull('remote')
    .whereNotNull('file_name')
    .whereNull('pruned_at')
    .orderBy('started_at', 'asc')
    .select('id', 'file_name', 'remote')) as Array<{ id: string; file_name: string; remote: string }>;
  const start = Date.now();
  let queued = 0;
  for (const row of rows) {
    const remote = parseRemote(row.remote);
    if (remote?.status !== 'failed' || !fs.existsSync(path.join(backupsDir(app), row.file_name))) continue;
    const rounds = (remote.rounds ?? 0) + 1;
    // The settings may have changed since (that is usually why it is tried again): the object goes where they say now.
    const next: RemoteUpload = {
      ...remote,
      status: 'pending',
      endpoint: s3.endpoint,
      bucket: s3.bucket,
      key: objectKeyOf(s3, row.file_name),
      attempts: 0,
      error: null,
      rounds,
    };
    await knex.transaction(async (trx) => {
      const moved = await trx('backups')
        .where({ id: row.id, remote: row.remote })
        .update({ remote: JSON.stringify(next) });
      if (!moved) return;
      // A millisecond apart: the queue runs them in this order, the oldest backup first.
      const runAt = new Date(start + queued);
      const job = await enqueueJob(trx, backupUploadJob, { backup_id: row.id }, { key: `upload:${row.id}:again:${rounds}`, runAt });
      if (job.enqueued) queued++;
    });
  }
  return { queued };
}
