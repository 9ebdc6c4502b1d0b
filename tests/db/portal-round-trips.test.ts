// The resident portal's reads on PostgreSQL as the app role (server/db/row-security.ts): a read outside a transaction
// pays one of its own to name its estate (BEGIN, set_config, the read, COMMIT), so a page of four reads made sixteen
// round trips and took a pooled connection four times, the sign-in lookup in the platform scope four more. A portal
// page now reads in one read-only transaction after a one-statement sign-in lookup, and still sees its own estate only.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let pgdb: TestDatabase;
let server: TestServer;
let resident: ApiClient;
let estateId: string;
let unitId: string;

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  // No job runner: its claims in the platform scope would be counted with the request's statements.
  server = await startTestServer({ databaseUrl: pgdb.url, rowSecurity: true, backgroundJobs: false });
  const { client: admin, estateId: id } = await setupEstate(server.url, 'Perumahan A');
  estateId = id;
  const base = `/estates/${estateId}`;
  const unit = await admin.post(`${base}/units`, { code: 'A-1', type: 'rumah', occupancy: 'occupied' });
  expect(unit.status, unit.text).toBe(201);
  unitId = unit.body.id;
  const fee = await admin.post(`${base}/fee-types`, { code: 'IPL', name: 'IPL', amount: 100000, basis: 'flat', effective_from: '2026-01' });
  expect(fee.status, fee.text).toBe(201);
  for (const period of ['2026-09', '2026-10']) {
    expect((await admin.post(`${base}/billing-runs`, { period, due_date: `${period}-10` })).status).toBe(201);
  }
  // A second estate with its own bills, which the portal must not show.
  const other = (await admin.post('/estates', { name: 'Perumahan B' })).body.id as string;
  expect((await admin.post(`/estates/${other}/units`, { code: 'A-1', type: 'rumah', occupancy: 'occupied' })).status).toBe(201);
  const occupant = await admin.post(`${base}/residents`, { name: 'Dewi Santoso', unit_id: unitId, moved_in_on: '2026-01-01' });
  expect(occupant.status, occupant.text).toBe(201);
  resident = (await userWithRole(server.url, admin, estateId, 'resident', { resident_id: occupant.body.id })).client;
});
afterAll(async () => {
  await server?.close();
  await pgdb?.drop();
});

/** The statements the app role's pool ran while `call` was answered. */
async function statementsOf(call: () => Promise<unknown>): Promise<string[]> {
  const seen: string[] = [];
  const listen = (q: { sql: string }) => void seen.push(q.sql);
  server.app.db.knex.on('query', listen);
  try {
    await call();
  } finally {
    server.app.db.knex.off('query', listen);
  }
  return seen;
}

describe('portal reads as the app role', () => {
  it.each(['balance', 'invoices', 'payments'])('%s: the sign-in lookup and one read-only transaction for the page', async (page) => {
    let answer: Awaited<ReturnType<ApiClient['get']>> | undefined;
    const statements = await statementsOf(async () => {
      answer = await resident.get(`/estates/${estateId}/portal/${page}`);
    });
    expect(answer?.status, answer?.text).toBe(200);
    // The sign-in lookup is one statement; the estate row, when this process has not read it for 5 s, a platform read.
    expect(statements.filter((s) => s.includes('klustera_session_lookup'))).toHaveLength(1);
    const begins = statements.filter((s) => /^begin/i.test(s.trim()));
    expect(begins.length).toBeLessThanOrEqual(2);
    expect(statements.filter((s) => s.includes("set_config('klustera.scope'"))).toHaveLength(begins.length - 1);
    expect(begins.filter((s) => /read only/i.test(s))).toHaveLength(1);
    expect(statements.filter((s) => s.includes("set_config('klustera.estate_id'"))).toHaveLength(1);
  });

  it("shows the unit's own bills only", async () => {
    const balance = await resident.get(`/estates/${estateId}/portal/balance`);
    expect(balance.body).toMatchObject({ unit_id: unitId, outstanding: 200000, credit: 0 });
    const invoices = await resident.get(`/estates/${estateId}/portal/invoices`);
    expect(invoices.body.items.map((i: { period: string; unit_id: string }) => [i.period, i.unit_id])).toEqual([
      ['2026-10', unitId],
      ['2026-09', unitId],
    ]);
  });

  it('a signed-out session reads nothing', async () => {
    expect((await resident.post('/auth/logout')).status).toBe(204);
    expect((await resident.get(`/estates/${estateId}/portal/balance`)).status).toBe(401);
  });
});
