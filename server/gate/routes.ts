import { z } from 'zod';
import { estateToday } from '../calendar/calendar.ts';
import { assertPrinterTargetUsable } from '../devices/printer-target.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { seesPassCredentials } from '../passes/index.ts';
import { estateParams, id } from '../http/schemas.ts';
import { accessLogForExport, listAccessLog } from './access-log-store.ts';
import { accessLogPdf, accessLogXlsx } from './access-log-export.ts';
import {
  createGate,
  createGuard,
  currentShift,
  endShift,
  gatePost,
  listGates,
  listGuards,
  requireDevice,
  startShift,
  updateGate,
} from './gate-post.ts';
import { lastHandover } from './shift-handover.ts';
import { scanAtGate } from './scan-service.ts';
import {
  accessLogPageResponse,
  accessLogQuery,
  checkoutResponse,
  checkoutSchema,
  currentShiftResponse,
  expectedPassListResponse,
  gateCreateSchema,
  gateListResponse,
  gatePatchSchema,
  gateResponse,
  gateUnitListResponse,
  gateUnitQuery,
  guardCreateSchema,
  guardListResponse,
  guardResponse,
  scanResponse,
  scanSchema,
  shiftEndResponse,
  shiftHandoverResponse,
  shiftResponse,
  shiftStartSchema,
  slipReprintResponse,
  visitListResponse,
  walkInResponse,
  walkInSchema,
} from './schemas.ts';
import { searchUnits } from '../units/index.ts';
import { printVisitSlip } from './slip-job.ts';
import {
  checkoutVisit,
  expectedToday,
  insideNow,
  overstays,
  recordWalkIn,
  unitCodeOf,
  visitView,
  type VisitRow,
} from './visits-service.ts';

const estateOf = (ctx: RequestContext) => ctx.estate as { id: string; name: string; timezone: string };
const idParams = z.object({ estate_id: id, id });
const EXPORT_CAP = 50_000;

export const gateRoutes = defineRoutes([
  {
    method: 'post',
    path: '/estates/:estate_id/gates',
    permission: 'gates.write',
    tags: ['gate'],
    summary: 'Add a gate (with an optional slip printer)',
    params: estateParams,
    body: gateCreateSchema,
    status: 201,
    response: gateResponse,
    handler: async (ctx) => {
      if (ctx.body.printer) await assertPrinterTargetUsable(ctx.body.printer);
      return createGate(ctx.store!, ctx.body);
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gates',
    permission: 'access_log.read',
    tags: ['gate'],
    summary: 'List gates',
    params: estateParams,
    response: gateListResponse,
    handler: (ctx) => listGates(ctx.store!),
  },
  {
    method: 'patch',
    path: '/estates/:estate_id/gates/:id',
    permission: 'gates.write',
    tags: ['gate'],
    summary: 'Rename a gate or set its printer',
    params: idParams,
    body: gatePatchSchema,
    response: gateResponse,
    handler: async (ctx) => {
      if (ctx.body.printer) await assertPrinterTargetUsable(ctx.body.printer);
      return updateGate(ctx.store!, ctx.params.id, ctx.body);
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/guards',
    permission: 'gates.write',
    tags: ['gate'],
    summary: 'Add a guard with a shift PIN',
    params: estateParams,
    body: guardCreateSchema,
    status: 201,
    response: guardResponse,
    handler: (ctx) => createGuard(ctx.store!, ctx.body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gate/guards',
    permission: 'access_log.read',
    tags: ['gate'],
    summary: 'List guards',
    params: estateParams,
    response: guardListResponse,
    handler: (ctx) => listGuards(ctx.store!),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/shifts',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: 'Start a guard shift on this kiosk with the guard PIN',
    params: estateParams,
    body: shiftStartSchema,
    status: 201,
    response: shiftResponse,
    handler: (ctx) => startShift(ctx, ctx.body),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gate/shifts/current',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: "This kiosk's open shift",
    params: estateParams,
    response: currentShiftResponse,
    handler: (ctx) => currentShift(ctx),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/shifts/current/end',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: "End this kiosk's shift: the handover (entries, walk-ins, denials, who is still inside)",
    params: estateParams,
    response: shiftEndResponse,
    handler: async (ctx) => {
      const { deviceId, ended } = await endShift(ctx);
      return { shift: null, handover: ended ? (await lastHandover(ctx, deviceId)).handover : null };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gate/shifts/last-handover',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: 'The handover of the shift this kiosk ended last, for the next guard',
    params: estateParams,
    response: shiftHandoverResponse,
    handler: (ctx) => lastHandover(ctx, requireDevice(ctx)),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/scan',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: 'Scan a QR payload or typed code: verdict, logged with gate and guard',
    params: estateParams,
    body: scanSchema,
    response: scanResponse,
    handler: async (ctx) => scanAtGate(ctx.store!, estateOf(ctx), await gatePost(ctx, ctx.body.gate_id), ctx.body),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/walk-ins',
    permission: 'gate.walk_in',
    tags: ['gate'],
    summary: 'Record a guest without a pass; the host unit is notified',
    params: estateParams,
    body: walkInSchema,
    status: 201,
    response: walkInResponse,
    handler: async (ctx) => recordWalkIn(ctx.store!, await gatePost(ctx, ctx.body.gate_id), ctx.body),
  },
  {
    // The guard picks a walk-in's destination: codes, and a resident's name only where the directory lists it.
    method: 'get',
    path: '/estates/:estate_id/gate/units',
    permission: 'gate.walk_in',
    tags: ['gate'],
    summary: 'Find a walk-in destination by code, house number or listed resident name',
    params: estateParams,
    query: gateUnitQuery,
    response: gateUnitListResponse,
    handler: async (ctx) => {
      if (!ctx.query.q) {
        const first = await ctx
          .store!.live('units')
          .orderBy('units.sort_key')
          .limit(ctx.query.limit)
          .select('units.id', 'units.code', 'units.block');
        return { items: first.map((u: { id: string; code: string; block: string | null }) => ({ ...u, resident_name: null })) };
      }
      const hits = await searchUnits(ctx.store!, { q: ctx.query.q, limit: ctx.query.limit, gate: true });
      return { items: hits.map((u) => ({ id: u.id, code: u.code, block: u.block, resident_name: u.residents[0]?.name ?? null })) };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gate/inside',
    permission: 'access_log.read',
    tags: ['gate'],
    summary: 'Guests inside now',
    params: estateParams,
    response: visitListResponse,
    handler: (ctx) => insideNow(ctx.store!, seesPassCredentials(ctx.role)),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gate/overstays',
    permission: 'access_log.read',
    tags: ['gate'],
    summary: 'Guests still inside after their visit window',
    params: estateParams,
    response: visitListResponse,
    handler: (ctx) => overstays(ctx.store!, seesPassCredentials(ctx.role)),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/gate/expected',
    permission: 'access_log.read',
    tags: ['gate'],
    summary: "Today's expected guests who have not arrived",
    params: estateParams,
    response: expectedPassListResponse,
    handler: (ctx) => expectedToday(ctx.store!, estateOf(ctx).timezone),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/visits/:id/checkout',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: 'Check a guest out by hand',
    params: idParams,
    body: checkoutSchema,
    response: checkoutResponse,
    handler: async (ctx) => checkoutVisit(ctx.store!, await gatePost(ctx, ctx.body.gate_id), ctx.params.id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/gate/visits/:id/slip',
    permission: 'gate.scan',
    tags: ['gate'],
    summary: 'Print the guest slip again',
    params: idParams,
    body: checkoutSchema,
    response: slipReprintResponse,
    handler: async (ctx) => {
      const visit = await ctx.store!.get<VisitRow>('gate_visits', ctx.params.id, 'Kunjungan');
      await printVisitSlip(ctx.store!, estateOf(ctx), await gatePost(ctx, ctx.body.gate_id), visit);
      return { printed: true, visit: visitView(visit, await unitCodeOf(ctx.store!, visit.unit_id)) };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/access-log',
    permission: 'access_log.read',
    tags: ['gate'],
    summary: 'The access log, filtered; JSON, .xlsx or PDF',
    params: estateParams,
    query: accessLogQuery,
    raw: true,
    produces: ['application/json', 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet', 'application/pdf'],
    response: accessLogPageResponse,
    handler: async (ctx) => {
      const estate = estateOf(ctx);
      if (ctx.query.format === 'json') {
        ctx.res.json(await listAccessLog(ctx.store!, ctx.query, estate.timezone));
        return;
      }
      const entries = await accessLogForExport(ctx.store!, ctx.query, estate.timezone, EXPORT_CAP);
      const stamp = estateToday(estate.timezone);
      if (ctx.query.format === 'xlsx') {
        const file = await accessLogXlsx(entries, estate.name, estate.timezone);
        ctx.res.setHeader('Content-Disposition', `attachment; filename="log-akses-${stamp}.xlsx"`);
        ctx.res.type('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet').send(file);
        return;
      }
      const file = await accessLogPdf(entries, estate.name, estate.timezone, entries.length >= EXPORT_CAP);
      ctx.res.setHeader('Content-Disposition', `attachment; filename="log-akses-${stamp}.pdf"`);
      ctx.res.type('application/pdf').send(file);
    },
  },
]);
