import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { noticeId, raiseLedgerNotice } from '../../server/ledger/index.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { ApiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';

/**
 * Reconciliation notices (server/ledger/notices.ts) on SQLite and PostgreSQL (`pgUrl`): raised once per dedupe key
 * with its journal rows, listed for the treasurer and administrators only, acknowledged once, and never reachable
 * through another estate's path.
 */
describe.each(['sqlite', 'postgres'] as const)('ledger notices on %s', (backendName) => {
  let server: TestServer;
  let database: TestDatabase | undefined;
  let admin: ApiClient;
  let treasurer: ApiClient;
  let staff: ApiClient;
  let guard: ApiClient;
  let estateId: string;
  let otherEstateId: string;
  let unitId: string;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const store = (estate = estateId) => new ScopedStore(server.db.knex, estate, SYSTEM_ACTOR, server.app.sync);

  beforeAll(async () => {
    if (backendName === 'postgres') {
      database = await createTestDatabase(inject('pgUrl'));
      server = await startTestServer({ databaseUrl: database.url });
    } else {
      server = await startTestServer();
    }
    const setup = await setupEstate(server.url);
    admin = setup.client;
    estateId = setup.estateId;
    otherEstateId = (await admin.post('/estates', { name: 'Perumahan Sebelah' })).body.id;
    unitId = (await admin.post(e('/units'), { code: 'B-7', type: 'rumah', occupancy: 'occupied' })).body.id;
    treasurer = (await userWithRole(server.url, admin, estateId, 'treasurer')).client;
    staff = (await userWithRole(server.url, admin, estateId, 'staff')).client;
    guard = (await userWithRole(server.url, admin, estateId, 'guard')).client;
  }, 120_000);

  afterAll(async () => {
    await server?.close();
    await database?.drop();
  });

  it('raises one row per dedupe key, journaled, with an id every site derives alike', async () => {
    const k = server.db.knex;
    const input = {
      kind: 'overpayment' as const,
      unitId,
      amount: 150_000,
      dedupeKey: `overpayment:inv-1:pay-1`,
      details: { invoice_amount: 150_000 },
    };
    expect(await raiseLedgerNotice(store(), input)).toBe(true);
    expect(await raiseLedgerNotice(store(), input)).toBe(false);
    const rows = await k('ledger_notices').where({ estate_id: estateId });
    expect(rows).toHaveLength(1);
    expect(rows[0].id).toBe(noticeId(estateId, input.dedupeKey));
    expect(await k('outbox').where({ table_name: 'ledger_notices', row_id: rows[0].id })).toHaveLength(1);
    expect(await k('audit_log').where({ entity_table: 'ledger_notices', entity_id: rows[0].id })).toHaveLength(1);
  });

  it('lists notices to the treasurer and administrators only, open ones with open=1', async () => {
    const list = await treasurer.get(e('/ledger/notices?open=1'));
    expect(list.status, list.text).toBe(200);
    expect(list.body.items).toHaveLength(1);
    expect(list.body.items[0]).toMatchObject({
      kind: 'overpayment',
      unit_id: unitId,
      unit_code: 'B-7',
      amount: 150_000,
      acknowledged_at: null,
    });
    expect(list.body.items[0].details).toEqual({ invoice_amount: 150_000 });
    expect((await admin.get(e('/ledger/notices'))).status).toBe(200);
    expect((await staff.get(e('/ledger/notices'))).status).toBe(403);
    expect((await guard.get(e('/ledger/notices'))).status).toBe(403);
    const id = list.body.items[0].id;
    expect((await staff.post(e(`/ledger/notices/${id}/acknowledge`))).status).toBe(403);
    const bad = await treasurer.get(e('/ledger/notices?open=yes'));
    expect(bad.status).toBe(400);
  });

  it('answers 404 through another estate and for an unknown notice, writing nothing', async () => {
    const id = noticeId(estateId, 'overpayment:inv-1:pay-1');
    const audit = Number((await server.db.knex('audit_log').count({ n: '*' }))[0].n);
    expect((await admin.post(`/estates/${otherEstateId}/ledger/notices/${id}/acknowledge`)).status).toBe(404);
    expect((await admin.get(`/estates/${otherEstateId}/ledger/notices`)).body.items).toEqual([]);
    expect((await treasurer.post(e(`/ledger/notices/${noticeId(estateId, 'nope')}/acknowledge`))).status).toBe(404);
    expect((await treasurer.post(e('/ledger/notices/not-an-id/acknowledge'))).status).toBe(404);
    expect(Number((await server.db.knex('audit_log').count({ n: '*' }))[0].n)).toBe(audit);
    expect((await server.db.knex('ledger_notices').where({ id }).first()).acknowledged_at).toBeNull();
  });

  it('acknowledging twice keeps the first acknowledgement and writes once', async () => {
    const id = noticeId(estateId, 'overpayment:inv-1:pay-1');
    const first = await treasurer.post(e(`/ledger/notices/${id}/acknowledge`));
    expect(first.status, first.text).toBe(200);
    expect(first.body.acknowledged_at).toEqual(expect.any(String));
    const outbox = await server.db.knex('outbox').where({ table_name: 'ledger_notices', row_id: id });
    const again = await admin.post(e(`/ledger/notices/${id}/acknowledge`));
    expect(again.status).toBe(200);
    expect(again.body.acknowledged_at).toBe(first.body.acknowledged_at);
    expect(again.body.acknowledged_by).toBe(first.body.acknowledged_by);
    expect(await server.db.knex('outbox').where({ table_name: 'ledger_notices', row_id: id })).toHaveLength(outbox.length);
    expect((await treasurer.get(e('/ledger/notices?open=1'))).body.items).toEqual([]);
    expect((await treasurer.get(e('/ledger/notices'))).body.items).toHaveLength(1);
  });
});
