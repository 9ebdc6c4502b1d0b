import { PlatformStore } from '../db/platform-store.ts';
import type { Actor } from '../db/scoped-store.ts';
import type { AppContext } from '../http/app-context.ts';
import { isUuid } from '../db/ids.ts';
import { setEstateSuspended } from '../estates/index.ts';
import { defineRoutes } from '../http/route.ts';
import { NotFoundError } from '../http/errors.ts';
import {
  platformAdminGrantBody,
  platformAdminListResponse,
  platformAdminParams,
  platformAdminResponse,
  platformEstateListQuery,
  platformEstateListResponse,
  platformEstateParams,
  platformEstateResponse,
  userLookupQuery,
  userLookupResponse,
} from './schemas.ts';
import {
  getPlatformEstate,
  grantPlatformAdmin,
  listPlatformAdmins,
  listPlatformEstates,
  lookUpUser,
  revokePlatformAdmin,
} from './service.ts';

const tags = ['platform'];

const platformOf = (app: AppContext, actor: Actor) => new PlatformStore(app.db.knex, actor, app.sync);

/** Path ids that cannot be an id answer like unknown ones, before any lookup. */
function knownShape(id: string, what: string): string {
  if (!isUuid(id)) throw new NotFoundError(what);
  return id;
}

/**
 * The hosted instance's console, for the platform's administrators only. Its paths name estates as `:id`, not
 * `:estate_id`: these routes act on estates from outside, so the pipeline does not scope them to one (a member of
 * the estate gets 403 here like anyone who is not a platform administrator). Creating an estate is POST /estates.
 */
export const platformRoutes = defineRoutes([
  {
    method: 'get',
    path: '/platform/estates',
    permission: 'platform.manage',
    tags,
    summary: 'Every estate with its status and usage (units, active residents, users, last sync)',
    query: platformEstateListQuery,
    response: platformEstateListResponse,
    handler: async ({ app, query, actor }) => ({ items: await listPlatformEstates(platformOf(app, actor), query) }),
  },
  {
    method: 'get',
    path: '/platform/estates/:id',
    permission: 'platform.manage',
    tags,
    summary: 'One estate with its status and usage',
    params: platformEstateParams,
    response: platformEstateResponse,
    handler: ({ app, params, actor }) => getPlatformEstate(platformOf(app, actor), knownShape(params.id, 'Perumahan')),
  },
  {
    method: 'post',
    path: '/platform/estates/:id/suspend',
    permission: 'platform.manage',
    tags,
    summary: 'Suspend an estate: its data stays, its members and devices get 403 ESTATE_SUSPENDED until it is reactivated',
    params: platformEstateParams,
    response: platformEstateResponse,
    handler: async ({ app, params, actor }) => {
      const id = knownShape(params.id, 'Perumahan');
      await setEstateSuspended(platformOf(app, actor), id, true);
      return getPlatformEstate(platformOf(app, actor), id);
    },
  },
  {
    method: 'post',
    path: '/platform/estates/:id/reactivate',
    permission: 'platform.manage',
    tags,
    summary: 'Reactivate a suspended estate',
    params: platformEstateParams,
    response: platformEstateResponse,
    handler: async ({ app, params, actor }) => {
      const id = knownShape(params.id, 'Perumahan');
      await setEstateSuspended(platformOf(app, actor), id, false);
      return getPlatformEstate(platformOf(app, actor), id);
    },
  },
  {
    method: 'get',
    path: '/platform/admins',
    permission: 'platform.manage',
    tags,
    summary: "The installation's administrators",
    response: platformAdminListResponse,
    handler: async ({ app, actor }) => ({ items: await listPlatformAdmins(platformOf(app, actor)) }),
  },
  {
    method: 'post',
    path: '/platform/admins',
    permission: 'platform.manage',
    tags,
    summary: 'Make an existing account an administrator of the installation',
    body: platformAdminGrantBody,
    response: platformAdminResponse,
    handler: ({ app, body, actor }) => grantPlatformAdmin(platformOf(app, actor), body.user_id),
  },
  {
    method: 'delete',
    path: '/platform/admins/:user_id',
    permission: 'platform.manage',
    tags,
    summary: 'Take the installation administrator role away (never from the last active one: 409 LAST_PLATFORM_ADMIN)',
    params: platformAdminParams,
    status: 204,
    handler: async ({ app, params, actor }) => {
      await revokePlatformAdmin(platformOf(app, actor), knownShape(params.user_id, 'Admin platform'));
    },
  },
  {
    method: 'get',
    path: '/platform/users',
    permission: 'platform.manage',
    tags,
    summary: 'Look an account up by its exact email or phone, with the estates it belongs to and its roles there',
    query: userLookupQuery,
    response: userLookupResponse,
    handler: ({ app, query, actor }) => lookUpUser(platformOf(app, actor), query.q),
  },
]);
