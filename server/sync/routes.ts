import type { Request } from 'express';
import { messageLanguage } from '../http/accept-language.ts';
import { translateMessage } from '../http/error-language.ts';
import { defineRoutes } from '../http/route.ts';
import { NotFoundError } from '../http/errors.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import {
  applyPushedBatch,
  authenticateSync,
  handshake,
  issueLinkCode,
  listCredentials,
  pairDesktop,
  revokeCredential,
} from './cloud-service.ts';
import { pullWhenChanged } from './pull-wait.ts';
import { runSyncCycleExclusive, syncLoopOf } from './sync-loop.ts';
import { markSetAsideHandled } from './shared-accounts.ts';
import { linkToCloud, syncStatus, unlinkFromCloud, type SyncStatus, type SyncSummary } from './desktop-service.ts';
import {
  credentialListResponse,
  handshakeBody,
  handshakeResponse,
  linkBody,
  linkCodeResponse,
  pairBody,
  pairResponse,
  pullBody,
  pullResponse,
  pushBody,
  pushResponse,
  setAsideParams,
  syncRunResponse,
  syncStatusResponse,
} from './schemas.ts';

/** The stored messages (Indonesian) in the language the office's screen asks for. */
function inLanguage<T extends Partial<SyncStatus & SyncSummary>>(req: Request, value: T): T {
  const language = messageLanguage(req.headers['accept-language']);
  const translate = (error: { code: string; message: string } | null | undefined) =>
    error ? { ...error, message: translateMessage(error.message, language) } : error;
  const out: T = { ...value };
  if ('last_error' in value) out.last_error = translate(value.last_error);
  if ('error' in value) out.error = translate(value.error);
  if (value.clock_warning) out.clock_warning = translateMessage(value.clock_warning, language);
  if (value.digest_alert) out.digest_alert = { ...value.digest_alert, message: translateMessage(value.digest_alert.message, language) };
  if (value.set_aside) out.set_aside = value.set_aside.map((item) => ({ ...item, message: translateMessage(item.message, language) }));
  return out;
}

/**
 * Hosted side (`/sync/…`): the desktop speaks with its sync credential as bearer token, checked by each handler (the
 * credential is not an account, so the routes are public to the pipeline). Desktop side (`/estates/:id/sync/…`): the
 * office links, runs and reads sync.
 */
export const syncRoutes = defineRoutes([
  {
    method: 'post',
    path: '/sync/link-codes',
    permission: 'estates.create',
    status: 201,
    summary: 'Issue a one-time code that links an office desktop to this hosted instance (platform administrator)',
    response: linkCodeResponse,
    handler: ({ app, actor }) => issueLinkCode(app, actor),
  },
  {
    method: 'post',
    path: '/sync/pair',
    permission: 'public',
    status: 201,
    summary: 'Desktop: trade a link code for a sync credential; the estate is created here with the same id',
    body: pairBody,
    response: pairResponse,
    handler: ({ app, body }) => pairDesktop(app, body),
  },
  {
    method: 'post',
    path: '/sync/handshake',
    permission: 'public',
    summary: 'Desktop: compare schema versions and clocks (sync credential)',
    body: handshakeBody,
    response: handshakeResponse,
    handler: async ({ app, req, body }) => {
      await authenticateSync(app, req);
      return handshake(app, body);
    },
  },
  {
    method: 'post',
    path: '/sync/push',
    permission: 'public',
    summary: "Desktop: apply one batch of the desktop's changes, once (sync credential)",
    body: pushBody,
    response: pushResponse,
    handler: async ({ app, req, body }) => applyPushedBatch(app, await authenticateSync(app, req), body),
  },
  {
    method: 'post',
    path: '/sync/pull',
    permission: 'public',
    summary: "Desktop: the estate's changes made elsewhere after the cursor (sync credential)",
    body: pullBody,
    response: pullResponse,
    handler: async ({ app, req, body }) => pullWhenChanged(app, await authenticateSync(app, req), body.cursor, body.wait_ms ?? 0, req),
  },
  {
    method: 'delete',
    path: '/sync/credential',
    permission: 'public',
    status: 204,
    summary: 'Desktop: revoke its own sync credential (unlink)',
    handler: async ({ app, req, actor }) => {
      const credential = await authenticateSync(app, req);
      await revokeCredential(app, actor, credential.estate_id, credential.id);
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/sync/credentials',
    permission: 'settings.write',
    summary: 'Desktops linked to this estate on the hosted instance',
    params: estateParams,
    response: credentialListResponse,
    handler: async ({ app, store }) => ({ items: await listCredentials(app, store!.estateId) }),
  },
  {
    method: 'delete',
    path: '/estates/:estate_id/sync/credentials/:id',
    permission: 'settings.write',
    status: 204,
    summary: "Revoke a desktop's sync credential",
    params: idParams,
    handler: async ({ app, store, actor, params }) => {
      if (!(await revokeCredential(app, actor, store!.estateId, params.id))) throw new NotFoundError('Tautan sinkronisasi');
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/sync',
    permission: 'settings.read',
    summary: 'Sync with the hosted instance: last sync, changes waiting, last error',
    params: estateParams,
    response: syncStatusResponse,
    handler: async ({ app, store, req }) => inLanguage(req, await syncStatus(app, store!.estateId)),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/sync/link',
    permission: 'settings.write',
    status: 201,
    summary: 'Link this estate to a hosted instance with a one-time code from it',
    params: estateParams,
    body: linkBody,
    response: syncStatusResponse,
    handler: async ({ app, store, body, req }) => {
      await linkToCloud(app, store!, body);
      await syncLoopOf(app)?.refresh();
      return inLanguage(req, await syncStatus(app, store!.estateId));
    },
  },
  {
    method: 'delete',
    path: '/estates/:estate_id/sync/link',
    permission: 'settings.write',
    status: 204,
    summary: 'Unlink this estate from the hosted instance (its credential is revoked there when reachable)',
    params: estateParams,
    handler: async ({ app, store }) => {
      await unlinkFromCloud(store!);
      await syncLoopOf(app)?.refresh();
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/sync/set-aside/:set_aside_id/mark-handled',
    // Whoever may link and unlink: putting the account right by hand (the person signs in with the account the
    // hosted instance knows) is an administrator's work.
    permission: 'settings.write',
    summary: 'Mark a set-aside account change as handled: it leaves the list, the record stays (again: 409)',
    params: setAsideParams,
    response: syncStatusResponse,
    handler: async ({ app, store, params, req }) => {
      await markSetAsideHandled(store!, params.set_aside_id);
      return inLanguage(req, await syncStatus(app, store!.estateId));
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/sync/run',
    // Only sooner than the minute schedule would: whoever in the office may read sync's status may ask for it now
    // (the treasurer, before verifying the transfer proofs residents sent to the hosted instance).
    permission: 'settings.read',
    summary: 'Run one sync cycle now (push, then pull)',
    params: estateParams,
    response: syncRunResponse,
    handler: async ({ app, store, req }) => {
      if (!(await syncStatus(app, store!.estateId)).linked) throw new NotFoundError('Tautan server awan');
      return inLanguage(req, await runSyncCycleExclusive(app, store!.estateId));
    },
  },
]);
