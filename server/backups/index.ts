/** Scheduled, checked backups of the installation's database: what other modules may use. */
export { backupJob, backupSchedule } from './job.ts';
export { backupUploadJob } from './s3-upload.ts';
export { backupRoutes } from './routes.ts';
export { restoreRoutes } from './restore-routes.ts';
export { backupStatus } from './service.ts';
export { decryptFile, isEncryptedBackup, BackupPassphraseError } from './encrypted-file.ts';
export { backupStatusResponse } from './schemas.ts';
