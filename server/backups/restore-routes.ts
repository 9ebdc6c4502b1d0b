import { defineRoutes } from '../http/route.ts';
import { ValidationError } from '../http/errors.ts';
import {
  restoreIdParams,
  restoreListedBody,
  restoreSwitchBody,
  restoreSwitchResponse,
  restoreUploadBody,
  stagedRestoreResponse,
} from './restore-schemas.ts';
import { RESTORE_UPLOAD_MAX_BYTES, cancelRestore, restoreIncomingFolder, stageRestore, stagedRestore, switchToStaged } from './restore.ts';

const tags = ['installation'];

export const restoreRoutes = defineRoutes([
  {
    method: 'post',
    path: '/installation/restores',
    permission: 'installation.write',
    tags,
    body: restoreListedBody,
    status: 201,
    summary: 'Prepare a restore of a listed backup: copied to a staging folder, checked, migrated and compared with the live data',
    response: stagedRestoreResponse,
    handler: ({ app, body }) => stageRestore(app, { kind: 'listed', backupId: body.backup_id }),
  },
  {
    method: 'post',
    path: '/installation/restores/upload',
    permission: 'installation.write',
    tags,
    // Up to 200 MB: streamed to disk as it arrives, never held in memory.
    upload: { field: 'file', maxBytes: RESTORE_UPLOAD_MAX_BYTES, toFolder: restoreIncomingFolder },
    body: restoreUploadBody,
    status: 201,
    summary: 'Prepare a restore of an uploaded backup file (.sqlite, or .klbk with its passphrase)',
    response: stagedRestoreResponse,
    handler: ({ app, body, fileOnDisk: file }) => {
      if (!file) throw new ValidationError('Pilih berkas cadangan.', 'file', 'FILE_REQUIRED');
      return stageRestore(app, {
        kind: 'upload',
        fileName: file.originalname,
        path: file.path,
        passphrase: body.passphrase || undefined,
      });
    },
  },
  {
    method: 'get',
    path: '/installation/restores/:id',
    permission: 'installation.write',
    tags,
    params: restoreIdParams,
    summary: 'A prepared restore and its comparison with the live data',
    response: stagedRestoreResponse,
    handler: ({ app, params }) => stagedRestore(app, params.id),
  },
  {
    method: 'delete',
    path: '/installation/restores/:id',
    permission: 'installation.write',
    tags,
    params: restoreIdParams,
    status: 204,
    summary: 'Cancel a prepared restore: its staging folder is removed, nothing else changes',
    handler: ({ app, params }) => {
      cancelRestore(app, params.id);
      return undefined;
    },
  },
  {
    method: 'post',
    path: '/installation/restores/:id/switch',
    permission: 'installation.write',
    tags,
    params: restoreIdParams,
    body: restoreSwitchBody,
    summary: "Switch to the prepared backup (confirmed by typing the estate's name); the live database is kept as a safety copy",
    response: restoreSwitchResponse,
    handler: ({ app, actor, auth, params, body }) => switchToStaged(app, actor, params.id, body.confirm, auth?.sessionId),
  },
]);
