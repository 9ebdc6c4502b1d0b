import { enqueueJob } from '../jobs/job-queue.ts';
import { platformKnex } from '../db/platform-store.ts';
import { defineRoutes } from '../http/route.ts';
import { ConflictError } from '../http/errors.ts';
import { backupJob } from './job.ts';
import { testS3Connection } from './s3-upload.ts';
import {
  backupSettingsBody,
  backupSettingsResponse,
  backupStartedResponse,
  backupsResponse,
  s3TestResponse,
  uploadAgainResponse,
} from './schemas.ts';
import { queueFailedUploadsAgain } from './upload-again.ts';
import { backupStatus, backupsDir, listBackups, readBackupSettings, saveBackupSettings, settingsView } from './service.ts';

const tags = ['installation'];

export const backupRoutes = defineRoutes([
  {
    method: 'get',
    path: '/installation/backups',
    permission: 'installation.write',
    tags,
    summary: 'Backup settings, the state the dashboard warns about, and the latest backups with their checks',
    response: backupsResponse,
    handler: async ({ app }) => {
      const available = app.db.dialect === 'sqlite';
      return {
        available,
        folder: available ? backupsDir(app) : null,
        settings: settingsView(await readBackupSettings(app.db.knex)),
        status: await backupStatus(app),
        backups: available ? await listBackups(app) : [],
      };
    },
  },
  {
    method: 'put',
    path: '/installation/backups/settings',
    permission: 'installation.write',
    tags,
    body: backupSettingsBody,
    summary: 'Daily backup time, how many to keep, and the encrypted copy folder (a USB disk) with its passphrase',
    response: backupSettingsResponse,
    handler: ({ app, actor, body }) => saveBackupSettings(app, actor, body),
  },
  {
    method: 'post',
    path: '/installation/backups',
    permission: 'installation.write',
    tags,
    status: 202,
    summary: 'Make a backup now (a job: the list shows it running, then its result)',
    response: backupStartedResponse,
    handler: async ({ app }) => {
      if (app.db.dialect !== 'sqlite') {
        throw new ConflictError(
          'BACKUPS_NOT_HERE',
          'Cadangan dari aplikasi hanya untuk database bawaan (SQLite); PostgreSQL dicadangkan oleh pengelola servernya.',
        );
      }
      const knex = platformKnex(app.db.knex);
      // One at a time: a second click while one runs gets that one.
      const running = (await knex('jobs').where({ name: backupJob.name }).whereIn('status', ['pending', 'running']).first('id')) as
        | { id: string }
        | undefined;
      if (running) return { job_id: running.id, enqueued: false };
      const job = await enqueueJob(knex, backupJob, { trigger: 'manual' });
      return { job_id: job.id, enqueued: job.enqueued };
    },
  },
  {
    method: 'post',
    path: '/installation/backups/upload-again',
    permission: 'installation.write',
    tags,
    status: 202,
    summary: 'Upload again, oldest first, the backups whose upload to the S3 bucket failed (jobs; a second click queues nothing more)',
    response: uploadAgainResponse,
    handler: async ({ app }) => {
      if (app.db.dialect !== 'sqlite') {
        throw new ConflictError(
          'BACKUPS_NOT_HERE',
          'Cadangan dari aplikasi hanya untuk database bawaan (SQLite); PostgreSQL dicadangkan oleh pengelola servernya.',
        );
      }
      return queueFailedUploadsAgain(app);
    },
  },
  {
    method: 'post',
    path: '/installation/backups/s3-test',
    permission: 'installation.write',
    tags,
    summary: 'Test the saved S3 bucket: write a small object, read it back and delete it',
    response: s3TestResponse,
    handler: ({ app }) => testS3Connection(app),
  },
]);
