import { defineRoutes } from '../http/route.ts';
import { estateParams, idParams } from '../http/schemas.ts';
import {
  unitCreateBody,
  unitHistoryResponse,
  unitListQuery,
  unitPageResponse,
  unitPatchBody,
  unitResponse,
  unitSearchQuery,
  unitSearchResponse,
} from './schemas.ts';
import { findUnits } from './unit-search.ts';
import { createUnit, deleteUnit, listUnits, residentsOfUnits, serializeUnit, unitHistory, updateUnit, type UnitRow } from './service.ts';

async function detail(store: Parameters<typeof residentsOfUnits>[0], unit: UnitRow) {
  const residents = await residentsOfUnits(store, [unit.id]);
  return serializeUnit(unit, residents.get(unit.id) ?? []);
}

export const unitRoutes = defineRoutes([
  {
    method: 'get',
    path: '/estates/:estate_id/units',
    permission: 'units.read',
    summary: 'List and search units (paged)',
    params: estateParams,
    query: unitListQuery,
    response: unitPageResponse,
    handler: ({ store, query }) => listUnits(store!, query),
  },
  {
    method: 'post',
    path: '/estates/:estate_id/units',
    permission: 'units.write',
    summary: 'Create a unit',
    status: 201,
    params: estateParams,
    body: unitCreateBody,
    response: unitResponse,
    handler: async ({ store, body }) => detail(store!, await createUnit(store!, body)),
  },
  {
    // Before `/units/:id`, which would read `search` as an id.
    method: 'get',
    path: '/estates/:estate_id/units/search',
    permission: 'units.read',
    summary: 'Find units by code in any spelling, house number or current resident name (natural order, exact first)',
    params: estateParams,
    query: unitSearchQuery,
    response: unitSearchResponse,
    handler: ({ store, query }) => findUnits(store!, { q: query.q, limit: query.limit, gate: false }),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/units/:id',
    permission: 'units.read',
    summary: 'One unit with its current residents',
    params: idParams,
    response: unitResponse,
    handler: async ({ store, params }) => detail(store!, await store!.get<UnitRow>('units', params.id, 'Unit')),
  },
  {
    method: 'patch',
    path: '/estates/:estate_id/units/:id',
    permission: 'units.write',
    summary: 'Change a unit',
    params: idParams,
    body: unitPatchBody,
    response: unitResponse,
    handler: async ({ store, params, body }) => detail(store!, await updateUnit(store!, params.id, body)),
  },
  {
    method: 'delete',
    path: '/estates/:estate_id/units/:id',
    permission: 'units.write',
    summary: 'Remove a unit (tombstone)',
    params: idParams,
    status: 204,
    handler: ({ store, params }) => deleteUnit(store!, params.id),
  },
  {
    method: 'get',
    path: '/estates/:estate_id/units/:id/history',
    permission: 'units.read',
    summary: 'Who lived in a unit, and when',
    params: idParams,
    response: unitHistoryResponse,
    handler: ({ store, params }) => unitHistory(store!, params.id),
  },
]);
