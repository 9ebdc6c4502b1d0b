import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { RouteDef } from '../../server/http/route.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * A write that skips its own duplicate check: two units are inserted in one transaction, the second with the code the
 * body names. When that code is taken, the database's UNIQUE index is the only thing that refuses it.
 */
vi.mock('../../server/http/routes-index.ts', async (importOriginal) => {
  const original = await importOriginal<typeof import('../../server/http/routes-index.ts')>();
  const { z } = await import('zod');
  const { estateParams } = await import('../../server/http/schemas.ts');
  const { newUnitValues } = await import('../../server/units/service.ts');
  const unitValues = (code: string) => newUnitValues({ code, type: 'rumah', occupancy: 'occupied' } as never);
  const uncheckedUnitRoute: RouteDef = {
    method: 'post',
    path: '/estates/:estate_id/test-only/unchecked-units',
    permission: 'units.write',
    summary: 'test only: insert units without checking their codes first',
    status: 201,
    params: estateParams,
    body: z.object({ first: z.string(), code: z.string() }).strict(),
    response: z.object({ ok: z.literal(true) }),
    handler: async ({ store, body }) => {
      await store!.transaction(async (tx) => {
        await tx.insert('units', unitValues(body.first));
        await tx.insert('units', unitValues(body.code));
      });
      return { ok: true };
    },
  };
  return { ...original, allRoutes: [uncheckedUnitRoute, ...original.allRoutes] };
});

// SQLite and PostgreSQL word a unique violation differently (SQLITE_CONSTRAINT_UNIQUE, 23505); both answer the same.
describe.each(['sqlite', 'postgres'] as const)('a unique violation on %s', (backend) => {
  let database: TestDatabase | undefined;
  let server: TestServer;
  let admin: ApiClient;
  let estateId: string;

  beforeAll(async () => {
    if (backend === 'postgres') database = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(database ? { databaseUrl: database.url } : {});
    ({ client: admin, estateId } = await setupEstate(server.url));
    expect((await admin.post(`/estates/${estateId}/units`, { code: 'A-1' })).status).toBe(201);
  });
  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  const unitCodes = async () =>
    ((await server.db.knex('units').where({ estate_id: estateId }).orderBy('code').select('code')) as { code: string }[]).map(
      (r) => r.code,
    );

  it('answers 409 CONFLICT_DUPLICATE without SQL text and writes nothing of the refused request', async () => {
    const res = await admin.post(`/estates/${estateId}/test-only/unchecked-units`, { first: 'B-7', code: 'A-1' });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('CONFLICT_DUPLICATE');
    expect(res.text).not.toMatch(/insert|unique|units_code|constraint|duplicate key|SQLITE/i);
    expect(await unitCodes()).toEqual(['A-1']);

    const en = await admin.request(
      'POST',
      `/estates/${estateId}/test-only/unchecked-units`,
      { first: 'B-7', code: 'A-1' },
      {
        'Accept-Language': 'en',
      },
    );
    expect(en.body.error).toMatchObject({ code: 'CONFLICT_DUPLICATE', message: expect.stringMatching(/already exists/) });

    const ok = await admin.post(`/estates/${estateId}/test-only/unchecked-units`, { first: 'B-7', code: 'B-8' });
    expect(ok.status).toBe(201);
    expect(await unitCodes()).toEqual(['A-1', 'B-7', 'B-8']);
  });

  it('keeps the code a route already gives a duplicate it checks for', async () => {
    const res = await admin.post(`/estates/${estateId}/units`, { code: 'A-1' });
    expect(res.status).toBe(409);
    expect(res.body.error).toMatchObject({ code: 'DUPLICATE', field: 'code' });
  });

  it('answers racing creates of one unit code with one 201 and 409s, never a 5xx', async () => {
    const answers = await Promise.all(Array.from({ length: 12 }, () => admin.post(`/estates/${estateId}/units`, { code: 'C-3' })));
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses).toEqual([201, ...Array(11).fill(409)]);
    for (const a of answers.filter((x) => x.status === 409)) expect(['DUPLICATE', 'CONFLICT_DUPLICATE']).toContain(a.body.error.code);
    expect((await unitCodes()).filter((c) => c === 'C-3')).toHaveLength(1);
  });
});
