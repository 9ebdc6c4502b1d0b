import { z } from 'zod';
import { ForbiddenError } from '../http/errors.ts';
import { defineRoutes, type RequestContext } from '../http/route.ts';
import { residentIdOf } from '../residency/index.ts';
import { estateParams } from '../http/schemas.ts';
import { guestPassPageHtml, openGuestPass, unknownGuestPassHtml } from './guest-pass-page.ts';
import { addVehiclePass, createPortalPass, portalResident, residentPasses, unitGuestPasses } from './portal-service.ts';
import { seesPassCredentials } from './pass-audience.ts';
import {
  passCreateSchema,
  passIdParams,
  passListQuery,
  passListResponse,
  passResponse,
  portalPassCreateSchema,
  portalPassesResponse,
  vehiclePassSchema,
} from './schemas.ts';
import { createPass, gatePassView, listPasses, passQrPng, passView, revokePass, type PassRow, type PassViewContext } from './service.ts';

const estateOf = (ctx: RequestContext): PassViewContext => ({
  ...(ctx.estate as { id: string; name: string; timezone: string }),
  publicUrl: ctx.app.publicUrl,
});

async function viewAll(ctx: RequestContext, rows: PassRow[]) {
  const out = [];
  for (const row of rows) out.push(await passView(ctx.store!, estateOf(ctx), row, (row as { unit_code?: string }).unit_code));
  return out;
}

/** Office routes that the guard post may also read: the full pass for the office, the gate's view for guards. */
async function officeOrGateView(ctx: RequestContext, row: PassRow & { unit_code?: string | null }) {
  if (seesPassCredentials(ctx.role)) return passView(ctx.store!, estateOf(ctx), row, row.unit_code ?? undefined);
  const unitCode = row.unit_code ?? (await ctx.store!.query('units').where('id', row.unit_id).first('code'))?.code ?? '';
  return gatePassView(row, unitCode);
}

export const passRoutes = defineRoutes([
  {
    method: 'post',
    path: '/estates/:estate_id/passes',
    permission: 'passes.write',
    tags: ['passes'],
    summary: 'Create a resident, guest or temporary pass',
    params: estateParams,
    body: passCreateSchema,
    status: 201,
    response: passResponse,
    handler: async (ctx) =>
      passView(ctx.store!, estateOf(ctx), await createPass(ctx.store!, ctx.body, { via: 'office', userId: ctx.actor.userId })),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/passes',
    permission: 'passes.read',
    tags: ['passes'],
    summary: 'List passes',
    params: estateParams,
    query: passListQuery,
    response: passListResponse,
    handler: async (ctx) => {
      const { rows, total } = await listPasses(ctx.store!, ctx.query);
      const items = [];
      for (const row of rows) items.push(await officeOrGateView(ctx, row));
      return { items, total, limit: ctx.query.limit, offset: ctx.query.offset };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id/passes/:id',
    permission: 'passes.read',
    tags: ['passes'],
    summary: 'One pass',
    params: passIdParams,
    response: passResponse,
    handler: async (ctx) => officeOrGateView(ctx, await ctx.store!.get<PassRow>('passes', ctx.params.id, 'Kartu akses')),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/passes/:id/revoke',
    permission: 'passes.write',
    tags: ['passes'],
    summary: 'Revoke a pass',
    params: passIdParams,
    response: passResponse,
    handler: async (ctx) => passView(ctx.store!, estateOf(ctx), await revokePass(ctx.store!, ctx.params.id, 'revoked_by_office')),
  },
  {
    // The image is the credential itself: the office that issues passes, or the resident whose unit the pass belongs to.
    method: 'get',
    path: '/estates/:estate_id/passes/:id/qr.png',
    permission: 'authenticated',
    tags: ['passes'],
    summary: 'The pass QR code as a PNG image (the office and the holder only)',
    params: passIdParams,
    raw: true,
    produces: ['image/png'],
    handler: async (ctx) => {
      const pass = await ctx.store!.get<PassRow>('passes', ctx.params.id, 'Kartu akses');
      if (!seesPassCredentials(ctx.role)) {
        // The guard post never gets the image; a resident gets their own units' and a 404 for any other unit's.
        if (!residentIdOf(ctx)) throw new ForbiddenError();
        await portalResident(ctx, pass.unit_id);
      }
      const png = await passQrPng(ctx.store!, pass);
      ctx.res.setHeader('Cache-Control', 'private, max-age=300');
      ctx.res.type('image/png').send(png);
    },
  },
  // Resident portal: the resident's own unit only.
  {
    method: 'get',
    path: '/estates/:estate_id/portal/passes',
    permission: 'portal.self',
    tags: ['portal'],
    summary: "The resident's own passes and their unit's guest passes",
    params: estateParams,
    response: portalPassesResponse,
    handler: async (ctx) => {
      const resident = await portalResident(ctx);
      const own = await residentPasses(ctx.store!, resident, estateOf(ctx).timezone);
      const guests = await unitGuestPasses(ctx.store!, resident.unitId);
      return { resident: await viewAll(ctx, own), guests: await viewAll(ctx, guests) };
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/passes',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Register a guest or service visit for the own unit',
    params: estateParams,
    body: portalPassCreateSchema,
    status: 201,
    response: passResponse,
    handler: async (ctx) => {
      const resident = await portalResident(ctx, ctx.body.unit_id);
      return passView(ctx.store!, estateOf(ctx), await createPortalPass(ctx.store!, resident, ctx.body, ctx.actor.userId));
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/passes/vehicle',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Add a vehicle pass (plate) for the resident',
    params: estateParams,
    body: vehiclePassSchema,
    status: 201,
    response: passResponse,
    handler: async (ctx) => {
      const resident = await portalResident(ctx);
      return passView(ctx.store!, estateOf(ctx), await addVehiclePass(ctx.store!, resident, ctx.body.plate, ctx.actor.userId));
    },
  },
  {
    method: 'post',
    path: '/estates/:estate_id/portal/passes/:id/revoke',
    permission: 'portal.self',
    tags: ['portal'],
    summary: 'Cancel a guest pass of the own unit',
    params: passIdParams,
    response: passResponse,
    handler: async (ctx) => {
      const pass = await ctx.store!.get<PassRow>('passes', ctx.params.id, 'Kartu akses');
      const resident = await portalResident(ctx, pass.unit_id);
      return passView(ctx.store!, estateOf(ctx), await revokePass(ctx.store!, ctx.params.id, 'revoked_by_resident', resident.unitId));
    },
  },
  {
    // The link in a guest's WhatsApp message: the signed payload is the credential the message hands over anyway.
    method: 'get',
    path: '/guest-passes/:token',
    permission: 'public',
    tags: ['passes'],
    summary: "A guest's pass as a phone page: the QR code and entry code to show at the gate, or why it no longer works",
    params: z.object({ token: z.string().max(200) }),
    raw: true,
    produces: ['text/html'],
    handler: async ({ app, params, res }) => {
      const view = await openGuestPass(app, params.token);
      res.setHeader('Cache-Control', 'no-store');
      if (view) res.status(200).type('html').send(guestPassPageHtml(view));
      else res.status(404).type('html').send(unknownGuestPassHtml());
    },
  },
]);
