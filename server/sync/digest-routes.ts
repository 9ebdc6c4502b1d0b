import { z } from 'zod';
import { defineRoutes } from '../http/route.ts';
import { authenticateSync } from './cloud-service.ts';
import { digestsResponse, estateDigests } from './digests.ts';
import { platformDb } from './platform-db.ts';

export const digestRoutes = defineRoutes([
  {
    method: 'post',
    path: '/sync/digests',
    permission: 'public',
    summary: "Desktop: the hosted instance's per-table digests of the credential's estate (sync credential)",
    body: z.object({}).strict(),
    response: digestsResponse,
    handler: async ({ app, req }) => ({ tables: await estateDigests(platformDb(app), (await authenticateSync(app, req)).estate_id) }),
  },
]);
