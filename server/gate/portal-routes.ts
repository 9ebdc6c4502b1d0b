import { z } from 'zod';
import { nowIso } from '../db/clock.ts';
import { NotFoundError } from '../http/errors.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { estateParams, id, paging } from '../http/schemas.ts';
import { residenceOfRequest, residencesOfRequest } from '../residency/index.ts';
import { markSourceRead } from '../notifications/index.ts';
import { listAccessLog } from './access-log-store.ts';
import { accessLogQuery, gateNotificationListResponse, gateNotificationReadResponse, portalVisitsResponse } from './schemas.ts';
import { visitView, type VisitRow } from './visits-service.ts';

const estateOf = (ctx: RequestContext) => ctx.estate as { id: string; name: string; timezone: string };

export const gatePortalRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/portal/visits',
    permission: 'portal.self',
    tags: ['portal'],
    summary: "Visits to the resident's own unit: the access log and who is inside now",
    params: estateParams,
    query: accessLogQuery.omit({ unit_id: true, format: true }),
    response: portalVisitsResponse,
    handler: async (ctx) => {
      const resident = await residenceOfRequest(ctx);
      const log = await listAccessLog(ctx.store!, { ...ctx.query, format: 'json' }, estateOf(ctx).timezone, resident.unitId);
      const inside = (await ctx
        .store!.query('gate_visits')
        .where('unit_id', resident.unitId)
        .whereNull('exited_at')
        .orderBy('entered_at', 'desc')
        .limit(100)) as VisitRow[];
      const now = nowIso();
      return { ...log, inside: inside.map((v) => visitView(v, '', now)) };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/portal/gate-notifications',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Arrivals at the gate for the own unit (walk-ins and expected guests)',
    params: estateParams,
    query: z.object({ ...paging }),
    response: gateNotificationListResponse,
    handler: async (ctx) => {
      const resident = await residenceOfRequest(ctx);
      const q = ctx.store!.query('gate_notifications').where('unit_id', resident.unitId);
      const [{ n }] = await q.clone().whereNull('read_at').count({ n: '*' });
      const items = await q
        .orderBy('created_at', 'desc')
        .limit(ctx.query.limit)
        .offset(ctx.query.offset)
        .select('id', 'kind', 'guest_name', 'purpose', 'gate_name', 'visit_id', 'read_at', 'created_at');
      return { items, unread: Number(n) };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/gate-notifications/:id/read',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Mark a gate notification read',
    params: z.object({ estate_id: id, id }),
    response: gateNotificationReadResponse,
    handler: async (ctx) => {
      const row = await ctx.store!.get<{ unit_id: string; read_at: string | null }>('gate_notifications', ctx.params.id, 'Pemberitahuan');
      await residenceOfRequest(ctx, row.unit_id).catch((err) => {
        throw err instanceof NotFoundError ? new NotFoundError('Pemberitahuan') : err;
      });
      if (!row.read_at) await ctx.store!.update('gate_notifications', ctx.params.id, { read_at: nowIso() }, 'gate_notifications.read');
      const { residentId, residences } = await residencesOfRequest(ctx);
      await markSourceRead(
        ctx.store!,
        residentId,
        residences.map((r) => r.unitId),
        { table: 'gate_notifications', id: ctx.params.id },
      );
      return { id: ctx.params.id, read: true };
    },
  },
]);
