import { defineRoutes, type RouteDef } from '../http/route.ts';
import { openApiDocument } from '../http/openapi.ts';
import { healthResponse, openApiResponse, readyResponse } from './schemas.ts';

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
      path: '/ready',
      permission: 'public',
      summary: 'Readiness: 200 when the database answers, no migration is pending and the job runner is alive; else 503',
      raw: true,
      produces: ['application/json'],
      response: readyResponse,
      handler: async ({ app, res }) => {
        // Every server startServer makes has it; an app context built by hand serves no requests.
        const report = await app.observability!.ready();
        res.setHeader('Cache-Control', 'no-store');
        res.status(report.ready ? 200 : 503).json(report);
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
