import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

// The hosted instance runs the same import on PostgreSQL (the server from `inject('pgUrl')`).
const SAMPLE = readFileSync(new URL('../fixtures/data-warga-griya-asri.xlsx', import.meta.url));

let database: TestDatabase;
let server: TestServer;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  database = await createTestDatabase(inject('pgUrl'));
  server = await startTestServer({ databaseUrl: database.url });
  ({ client: admin, estateId } = await setupEstate(server.url));
});
afterAll(async () => {
  await server?.close();
  await database?.drop();
});

const importSample = () =>
  admin.upload(`/estates/${estateId}/imports/units`, {}, { file: { filename: 'data-warga-griya-asri.xlsx', content: SAMPLE } });

describe('spreadsheet import on PostgreSQL', () => {
  it('imports the sample once, and a second import changes nothing', async () => {
    const first = await importSample();
    expect(first.status).toBe(200);
    expect(first.body.summary).toMatchObject({ units_create: 150, error_rows: 0 });
    const residents = first.body.summary.residents_create;
    expect(residents).toBeGreaterThan(150);
    expect((await admin.get(`/estates/${estateId}/units?type=ruko`)).body.total).toBe(10);
    expect((await admin.get(`/estates/${estateId}/residents?limit=1`)).body.total).toBe(residents);

    const second = await importSample();
    expect(second.body.summary).toMatchObject({
      units_create: 0,
      units_update: 0,
      units_unchanged: 150,
      residents_create: 0,
      residents_update: 0,
      residents_unchanged: residents,
    });
  });
});
