import { NotFoundError } from '../http/errors.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { residencesOfRequest } from '../residency/index.ts';
import { markedReadResponse, notificationListQuery, notificationListResponse, notificationParams } from './schemas.ts';
import { listNotifications, markAllRead, markRead, visibleTo } from './service.ts';

/** The caller's resident record and the units they live in today: a bell shows these units' notices only. */
async function reader(ctx: RequestContext) {
  const { residentId, residences } = await residencesOfRequest(ctx);
  return { residentId, unitIds: residences.map((r) => r.unitId) };
}

export const notificationRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/portal/notifications',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'The bell: notices for the units I live in, newest first, with the unread count',
    params: estateParams,
    query: notificationListQuery,
    response: notificationListResponse,
    handler: async (ctx) => {
      const { residentId, unitIds } = await reader(ctx);
      return listNotifications(ctx.store!, residentId, unitIds, { ...ctx.query, unread: ctx.query.unread === 'true' });
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/notifications/read-all',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Mark every notice of my units read',
    params: estateParams,
    response: markedReadResponse,
    handler: async (ctx) => {
      const { residentId, unitIds } = await reader(ctx);
      return { marked: await markAllRead(ctx.store!, residentId, unitIds) };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/notifications/:id/read',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Mark one notice read',
    params: notificationParams,
    response: markedReadResponse,
    handler: async (ctx) => {
      const { residentId, unitIds } = await reader(ctx);
      const visible = unitIds.length ? await visibleTo(ctx.store!, residentId, unitIds).where('id', ctx.params.id).first('id') : undefined;
      if (!visible) throw new NotFoundError('Pemberitahuan');
      return { marked: await markRead(ctx.store!, residentId, unitIds, [ctx.params.id]) };
    },
  },
]);
