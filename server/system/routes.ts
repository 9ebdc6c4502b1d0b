import { defineRoutes } from '../http/route.ts';
import { openApiDocument } from '../http/openapi.ts';
import { allRoutes } from '../http/routes-index.ts';
import { healthResponse, openApiResponse } from './schemas.ts';

export const systemRoutes = defineRoutes([
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
    handler: ({ app }) => openApiDocument(allRoutes, app.version),
  },
]);
