import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PERMISSIONS, ROLES, roleHasPermission, type Permission } from '../../server/auth/permissions.ts';
import { allRoutes } from '../../server/http/routes-index.ts';
import { apiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import { fillPath } from '../support/route-sweep.ts';

/**
 * Every route with the permission it declares and which roles reach it. The snapshot makes any change to who may
 * do what show up in review instead of slipping through.
 */
function matrix(): string {
  const lines = allRoutes.map((r) => {
    const who =
      r.permission === 'public'
        ? 'everyone'
        : r.permission === 'authenticated'
          ? 'any signed-in user'
          : ROLES.filter((role) => roleHasPermission(role, r.permission as Permission)).join(',');
    return `${r.method.toUpperCase().padEnd(6)} /api/v1${r.path}  [${r.permission}]  ${who}`;
  });
  return lines.sort().join('\n') + '\n';
}

describe('permission matrix', () => {
  it('every route declares a known permission', () => {
    for (const r of allRoutes) {
      const known = r.permission === 'public' || r.permission === 'authenticated' || r.permission in PERMISSIONS;
      expect(known, `${r.method} ${r.path} declares ${r.permission}`).toBe(true);
    }
    const seen = new Set<string>();
    for (const r of allRoutes) {
      const key = `${r.method} ${r.path}`;
      expect(seen.has(key), `duplicate route ${key}`).toBe(false);
      seen.add(key);
    }
  });

  it('matches the reviewed snapshot', async () => {
    await expect(matrix()).toMatchFileSnapshot('./__snapshots__/permissions.txt');
  });
});

describe('roles are enforced by the pipeline', () => {
  let server: TestServer;
  let estateId: string;
  let resident: Awaited<ReturnType<typeof userWithRole>>['client'];
  let guard: Awaited<ReturnType<typeof userWithRole>>['client'];

  beforeAll(async () => {
    server = await startTestServer();
    const s = await setupEstate(server.url);
    estateId = s.estateId;
    resident = (await userWithRole(server.url, s.client, estateId, 'resident')).client;
    guard = (await userWithRole(server.url, s.client, estateId, 'guard')).client;
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 403 FORBIDDEN to a resident and a guard on every estate route their role lacks, and writes nothing', async () => {
    const before = await server.db.knex('audit_log').count({ n: '*' });
    let checked = 0;
    for (const [role, client] of [
      ['resident', resident],
      ['guard', guard],
    ] as const) {
      for (const r of allRoutes) {
        if (!r.path.includes(':estate_id') || r.permission === 'public' || r.permission === 'authenticated') continue;
        if (roleHasPermission(role, r.permission as Permission)) continue;
        const path = fillPath(r.path, { estate_id: estateId, default: '0190a000-0000-7000-8000-000000000000' });
        const res = await client.request(r.method.toUpperCase(), path, r.method === 'get' ? undefined : {});
        expect(res.status, `${role} ${r.method} ${r.path}`).toBe(403);
        expect(res.body.error.code).toBe('FORBIDDEN');
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
    expect(await server.db.knex('audit_log').count({ n: '*' })).toEqual(before);
  });

  it('answers 401 to anonymous callers on every non-public route', async () => {
    const anon = apiClient(server.url);
    for (const r of allRoutes) {
      if (r.permission === 'public') continue;
      const path = fillPath(r.path, { estate_id: estateId, default: '0190a000-0000-7000-8000-000000000000' });
      const res = await anon.request(r.method.toUpperCase(), path, r.method === 'get' ? undefined : {});
      expect(res.status, `${r.method} ${r.path}`).toBe(401);
    }
  });

  it('keeps platform routes from estate roles', async () => {
    const res = await resident.post('/estates', { name: 'Perumahan Lain' });
    expect(res.status).toBe(403);
  });
});
