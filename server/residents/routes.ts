import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import { residentCreateBody, residentListQuery, residentPageResponse, residentPatchBody, residentResponse } from './schemas.ts';
import { createResident, deleteResident, getResident, listResidents, updateResident } from './service.ts';

export const residentRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/residents',
    permission: 'residents.read',
    summary: 'List and search residents (paged)',
    params: estateParams,
    query: residentListQuery,
    response: residentPageResponse,
    handler: ({ store, query }) => listResidents(store!, query),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/residents',
    permission: 'residents.write',
    summary: 'Add a resident, optionally linked to a unit',
    status: 201,
    params: estateParams,
    body: residentCreateBody,
    response: residentResponse,
    handler: async ({ store, body }) => getResident(store!, (await createResident(store!, body)).id),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/residents/:id',
    permission: 'residents.read',
    summary: 'One resident',
    params: idParams,
    response: residentResponse,
    handler: ({ store, params }) => getResident(store!, params.id),
  },
  {
    method: 'patch',
    path: '/estates/:estate_id/residents/:id',
    permission: 'residents.write',
    summary: 'Change a resident; moving or moving out keeps the unit history',
    params: idParams,
    body: residentPatchBody,
    response: residentResponse,
    handler: async ({ store, params, body }) => getResident(store!, (await updateResident(store!, params.id, body)).id),
  },
  {
    method: 'delete',
    path: '/estates/:estate_id/residents/:id',
    permission: 'residents.write',
    summary: 'Remove a resident (tombstone; closes their unit link)',
    params: idParams,
    status: 204,
    handler: ({ store, params }) => deleteResident(store!, params.id),
  },
]);
