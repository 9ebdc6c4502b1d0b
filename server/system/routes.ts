import { defineRoutes, type RouteDef } from '../http/route.ts';
import { openApiDocument } from '../http/openapi.ts';
import { healthResponse, openApiResponse } from './schemas.ts';

/**
 * Health and the API's own description. The description covers every route, so the route index, which holds them
 * all, hands its list in: importing it from here would make the index and this module need each other.
 */
export const systemRoutes = (documented: () => RouteDef[]) =>
  defineRoutes([
    {
      method: 'get',
      path: '/health',
      permission: 'public',
      summary: 'Liveness, version, database kind, whether setup is needed',
      response: healthResponse,
      handler: async ({ app }) => {
        const user = await app.db.knex('users').first('id');
        return { status: 'ok', version: app.version, database: app.db.dialect, setup_required: !user };
      },
    },
    {
      method: 'get',
      path: '/openapi.json',
      permission: 'public',
      summary: 'This API described as OpenAPI 3.1',
      response: openApiResponse,
      handler: ({ app }) => openApiDocument(documented(), app.version),
    },
  ]);
