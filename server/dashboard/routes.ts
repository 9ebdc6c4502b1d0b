import { z } from 'zod';
import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { backupStatus } from '../backups/index.ts';
import { dashboardOf } from './service.ts';
import { treasurerDashboardResponse } from './schemas.ts';

export const dashboardRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/dashboard',
    permission: 'reports.read',
    tags: ['reports'],
    params: estateParams,
    query: z.object({}),
    summary:
      "The treasurer's dashboard: this month's collection rate, outstanding, cash per account, top arrears, 12 months billed vs collected",
    response: treasurerDashboardResponse,
    handler: async ({ app, store, estate }) => ({ ...(await dashboardOf(store!, estate!)), backup: await backupStatus(app) }),
  },
]);
