import { defineRoutes } from '../http/route.ts';
import { estateParams } from '../http/schemas.ts';
import { dismissFieldConflict, listFieldConflicts, useLosingValue } from './field-conflicts.ts';
import { fieldConflictListQuery, fieldConflictListResponse, fieldConflictParams, fieldConflictResponse } from './field-conflict-schemas.ts';

export const fieldConflictRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/sync/conflicts',
    permission: 'settings.read',
    summary: 'Values that lost a per-field merge (both sites changed the same field while apart), newest first',
    params: estateParams,
    query: fieldConflictListQuery,
    response: fieldConflictListResponse,
    handler: async ({ store, query }) => ({ items: await listFieldConflicts(store!, { open: query.open === '1' }) }),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/sync/conflicts/:conflict_id/dismiss',
    permission: 'sync.resolve',
    summary: 'Dismiss a kept losing value (again: no change)',
    params: fieldConflictParams,
    response: fieldConflictResponse,
    handler: ({ store, params }) => dismissFieldConflict(store!, params.conflict_id),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/sync/conflicts/:conflict_id/use',
    permission: 'sync.resolve',
    summary: 'Use the losing value instead: an ordinary update of the row, synced like any edit',
    params: fieldConflictParams,
    response: fieldConflictResponse,
    handler: ({ store, params }) => useLosingValue(store!, params.conflict_id),
  },
]);
