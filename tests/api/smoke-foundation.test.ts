import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type TestServer } from '../support/server.ts';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('foundation smoke', () => {
  it('sets up, creates a unit and lists it', async () => {
    const { client, estateId } = await setupEstate(server.url);
    const created = await client.post(`/estates/${estateId}/units`, {
      code: 'a/12',
      type: 'rumah',
      occupancy: 'occupied',
      land_area_m2: 90,
    });
    expect(created.status).toBe(201);
    expect(created.body.code).toBe('A-12');
    const list = await client.get(`/estates/${estateId}/units?q=A-1`);
    expect(list.body.total).toBe(1);
  });
});
