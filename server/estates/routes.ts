import { nowIso } from '../db/clock.ts';
import { newId } from '../db/ids.ts';
import { PlatformStore } from '../db/platform-store.ts';
import { SYSTEM_ACTOR, ScopedStore } from '../db/scoped-store.ts';
import { hashPassword } from '../auth/passwords.ts';
import { sessionPayload } from '../auth/service.ts';
import { createSession } from '../auth/sessions.ts';
import { defineRoutes } from '../http/route.ts';
import { ConflictError } from '../http/errors.ts';
import { estateParams } from '../http/schemas.ts';
import {
  estateCreateWithAdminBody,
  estateCreatedResponse,
  estateListResponse,
  estatePatchBody,
  estateResponse,
  setupBody,
  setupResponse,
} from './schemas.ts';
import { forgetEstate } from './estate-cache.ts';
import { insertEstate, insertMembership, serializeEstate } from './service.ts';
import { createEstateUser } from '../users/index.ts';

export const estateRoutes = defineRoutes([
  {
    method: 'post',
    path: '/setup',
    permission: 'public',
    status: 201,
    summary: 'First run: create the first estate and its administrator (409 once any user exists)',
    body: setupBody,
    response: setupResponse,
    handler: async ({ app, body, req, res }) => {
      const knex = app.db.knex;
      const passwordHash = await hashPassword(body.admin.password);
      const { user, estate } = await new PlatformStore(knex, SYSTEM_ACTOR, app.sync).transaction(async (platform) => {
        if (await platform.query('users').first('id'))
          throw new ConflictError('SETUP_ALREADY_DONE', 'Klustera sudah disiapkan. Silakan masuk.');
        const at = nowIso();
        const userId = newId();
        const tx = platform.withActor({ userId, role: 'platform_admin' });
        const estate = await insertEstate(tx, body.estate);
        const user = await tx.insert<{ id: string }>(
          'users',
          {
            id: userId,
            name: body.admin.name,
            email: body.admin.email ?? null,
            phone: body.admin.phone ?? null,
            password_hash: passwordHash,
            is_platform_admin: true,
            status: 'active',
            failed_logins: 0,
            created_at: at,
            updated_at: at,
          },
          { estateId: estate.id },
        );
        await insertMembership(tx, { estate_id: estate.id, user_id: user.id, role: 'estate_admin' });
        return { user, estate };
      });
      const { csrfToken } = await createSession(app, knex, res, user.id, req.headers['user-agent']);
      return { ...(await sessionPayload(knex, user.id, csrfToken)), estate: serializeEstate(estate) };
    },
  },
  {
    method: 'post',
    path: '/estates',
    permission: 'estates.create',
    status: 201,
    summary: 'Create another estate (platform administrator), run by the caller or by an invited first administrator',
    body: estateCreateWithAdminBody,
    response: estateCreatedResponse,
    handler: async ({ app, body, actor, auth }) => {
      const { first_admin: firstAdmin, ...fields } = body;
      if (!firstAdmin) {
        const estate = await new PlatformStore(app.db.knex, actor, app.sync).transaction(async (tx) => {
          const estate = await insertEstate(tx, fields);
          await insertMembership(tx, { estate_id: estate.id, user_id: auth!.userId!, role: 'estate_admin' });
          return estate;
        });
        return serializeEstate(estate);
      }
      // The estate and its first administrator land together: an estate nobody can run is never left behind.
      const estateId = newId();
      const scoped = new ScopedStore(app.db.knex, estateId, actor, app.sync, { timezone: fields.timezone });
      return scoped.transaction(async (tx) => {
        const estate = await new PlatformStore(tx.knex, tx.actor, tx.sync).transaction((p) => insertEstate(p, fields, estateId));
        const invited = await createEstateUser(
          tx,
          { id: estateId, name: fields.name },
          app.publicUrl,
          { ...firstAdmin, role: 'estate_admin' },
          'platform_admin',
        );
        return { ...serializeEstate(estate), first_admin: invited };
      });
    },
  },
  {
    method: 'get',
    path: '/estates',
    permission: 'authenticated',
    summary: 'Estates the caller belongs to',
    response: estateListResponse,
    handler: async ({ app, auth }) => {
      const q = app.db.knex('estates').whereNull('deleted_at').orderBy('name');
      if (!auth!.isPlatformAdmin)
        q.whereIn(
          'id',
          auth!.memberships.map((m) => m.estate_id),
        );
      return { items: (await q).map(serializeEstate) };
    },
  },
  {
    method: 'get',
    path: '/estates/:estate_id',
    permission: 'estates.read',
    summary: 'One estate',
    params: estateParams,
    response: estateResponse,
    handler: ({ estate }) => serializeEstate(estate!),
  },
  {
    method: 'patch',
    path: '/estates/:estate_id',
    permission: 'estates.update',
    summary: "Change an estate's name, address, time zone or settings",
    params: estateParams,
    body: estatePatchBody,
    response: estateResponse,
    handler: async ({ app, estate, body, actor }) => {
      const patch: Record<string, unknown> = { ...body, updated_at: nowIso() };
      if (body.settings) patch.settings = JSON.stringify({ ...JSON.parse((estate!.settings as string) || '{}'), ...body.settings });
      const [after] = await new PlatformStore(app.db.knex, actor, app.sync).update('estates', (q) => q.where({ id: estate!.id }), patch, {
        estateId: estate!.id,
      });
      forgetEstate(estate!.id);
      return serializeEstate(after);
    },
  },
]);
