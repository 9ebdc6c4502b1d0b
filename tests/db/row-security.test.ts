// Row-level security on PostgreSQL (server/db/row-security.ts): as the role the server serves requests with, a query
// that names no estate sees nothing, one that names an estate sees only that estate's rows and cannot write another's;
// every table with an estate_id column is covered, and the API works end to end through it.
import knexFactory, { type Knex } from 'knex';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { z } from 'zod';
import { APP_ROLE } from '../../server/db/row-security.ts';
import { defineJob } from '../../server/jobs/define-job.ts';
import { receiveWebhook } from '../../server/jobs/webhook-inbox.ts';
import { rowSecurityFromEnv } from '../../server/start.ts';
import { GUARD_PIN, hoursFromNow, pairedKioskOnShift } from '../api/gate-post-fixture.ts';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

let pgdb: TestDatabase;
let server: TestServer;
let admin: ApiClient;
let estateA: string;
let estateB: string;
/** Raw connections as the app role: no store, no scope unless a test names one. */
let asApp: Knex;

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  server = await startTestServer({ databaseUrl: pgdb.url, rowSecurity: true });
  ({ client: admin, estateId: estateA } = await setupEstate(server.url, 'Perumahan A'));
  estateB = (await admin.post('/estates', { name: 'Perumahan B' })).body.id;
  for (const estate of [estateA, estateB]) {
    const base = `/estates/${estate}`;
    expect((await admin.post(`${base}/units`, { code: 'A-1', type: 'rumah', occupancy: 'occupied' })).status).toBe(201);
    expect(
      (await admin.post(`${base}/fee-types`, { code: 'IPL', name: 'IPL', amount: 100000, basis: 'flat', effective_from: '2026-01' }))
        .status,
    ).toBe(201);
    expect((await admin.post(`${base}/billing-runs`, { period: '2026-10', due_date: '2026-10-10' })).status).toBe(201);
  }
  asApp = knexFactory({
    client: 'pg',
    connection: pgdb.url,
    pool: {
      min: 0,
      max: 2,
      afterCreate(conn: { query(sql: string, done: (err: Error | null) => void): void }, done: (err: Error | null, c: unknown) => void) {
        conn.query(`set role ${APP_ROLE}`, (err) => done(err, conn));
      },
    },
  });
});
afterAll(async () => {
  await asApp?.destroy();
  await server?.close();
  await pgdb?.drop();
});

describe('row-level security as the app role', () => {
  it('the server serves as a role that is neither owner nor superuser and cannot bypass row security', async () => {
    const [role] = (await server.app.db.knex.raw('select rolsuper, rolbypassrls from pg_roles where rolname = current_user')).rows;
    expect((await server.app.db.knex.raw('select current_user as name')).rows[0].name).toBe(APP_ROLE);
    expect(role).toEqual({ rolsuper: false, rolbypassrls: false });
    const owned = await server.app.db.knex.raw(
      'select count(*)::int as n from pg_tables where tableowner = current_user and schemaname = current_schema()',
    );
    expect(owned.rows[0].n).toBe(0);
  });

  it('a raw select with no estate named returns no rows, though both estates have invoices', async () => {
    const asOwner = await server.db.knex('invoices').select('estate_id');
    expect(new Set(asOwner.map((r: { estate_id: string }) => r.estate_id))).toEqual(new Set([estateA, estateB]));
    expect((await asApp.raw('select * from invoices')).rows).toEqual([]);
    expect((await asApp.raw('select * from units')).rows).toEqual([]);
  });

  it("with estate A named a raw select returns only A's rows, and writing a row of B is refused", async () => {
    await asApp.transaction(async (trx) => {
      await trx.raw("select set_config('klustera.estate_id', ?, true)", [estateA]);
      const rows = (await trx.raw('select estate_id from invoices')).rows as { estate_id: string }[];
      expect(rows.length).toBeGreaterThan(0);
      expect(rows.every((r) => r.estate_id === estateA)).toBe(true);
      const [unitOfB] = (await server.db.knex('units').where({ estate_id: estateB }).select('*')) as Record<string, unknown>[];
      await expect(
        trx.raw('insert into units (id, estate_id, code, created_at, updated_at) values (?, ?, ?, ?, ?)', [
          '01900000-0000-7000-8000-00000000000b',
          estateB,
          'B-99',
          unitOfB.created_at as string,
          unitOfB.updated_at as string,
        ]),
      ).rejects.toThrow(/row-level security/);
    });
    await asApp.transaction(async (trx) => {
      await trx.raw("select set_config('klustera.estate_id', ?, true)", [estateA]);
      // Moving one of A's rows into B is a write of a B row too.
      await expect(trx.raw('update units set estate_id = ?', [estateB])).rejects.toThrow(/row-level security/);
    });
    // The setting was the transaction's: the next one on the same pool names nothing again.
    expect((await asApp.raw('select count(*)::int as n from invoices')).rows[0].n).toBe(0);
  });

  it('platform rows of the journal (no estate) show only in the platform scope', async () => {
    const platformRows = await server.db.knex('audit_log').whereNull('estate_id').count({ n: '*' });
    expect(Number(platformRows[0].n)).toBeGreaterThan(0);
    await asApp.transaction(async (trx) => {
      await trx.raw("select set_config('klustera.estate_id', ?, true)", [estateA]);
      expect((await trx.raw('select count(*)::int as n from audit_log where estate_id is null')).rows[0].n).toBe(0);
    });
    await asApp.transaction(async (trx) => {
      await trx.raw("select set_config('klustera.scope', 'platform', true)");
      expect((await trx.raw('select count(*)::int as n from audit_log where estate_id is null')).rows[0].n).toBe(Number(platformRows[0].n));
    });
  });

  it('every table with an estate_id column has row security enabled, forced, and the estate policy', async () => {
    const tables = (
      await server.db.knex.raw(
        `select c.relname as name, c.relrowsecurity as enabled, c.relforcerowsecurity as forced,
                (select count(*)::int from pg_policies p where p.schemaname = n.nspname and p.tablename = c.relname) as policies
           from pg_class c join pg_namespace n on n.oid = c.relnamespace
          where n.nspname = current_schema() and c.relkind = 'r'
            and exists (select 1 from pg_attribute a where a.attrelid = c.oid and a.attname = 'estate_id' and not a.attisdropped)
          order by c.relname`,
      )
    ).rows as { name: string; enabled: boolean; forced: boolean; policies: number }[];
    expect(tables.map((t) => t.name)).toEqual(
      expect.arrayContaining(['invoices', 'payments', 'units', 'audit_log', 'outbox', 'memberships']),
    );
    expect(tables.filter((t) => !t.enabled || !t.forced || t.policies === 0)).toEqual([]);
  });

  it('a table added by a later migration is covered when the migrations run', async () => {
    await server.db.knex.schema.createTable('test_later_table', (t) => {
      t.string('id', 36).primary();
      t.string('estate_id', 36).notNullable();
    });
    const { migrateToLatest } = await import('../../server/db/migrate.ts');
    await migrateToLatest(server.db);
    await server.db.knex('test_later_table').insert({ id: 'x', estate_id: estateA });
    expect((await asApp.raw('select * from test_later_table')).rows).toEqual([]);
  });
});

describe('the API through row-level security', () => {
  it('sign-in, units, billing, a payment, a pass and a gate scan work end to end', async () => {
    const base = `/estates/${estateA}`;
    const unit = (await admin.get(`${base}/units`)).body.items[0];
    const invoices = (await admin.get(`${base}/invoices?unit_id=${unit.id}`)).body.items;
    expect(invoices).toHaveLength(1);
    const paid = await admin.post(`${base}/payments`, {
      unit_id: unit.id,
      method: 'cash',
      amount: 100000,
      paid_at: '2026-10-05T03:00:00Z',
    });
    expect(paid.status).toBe(201);
    expect((await admin.get(`${base}/invoices?unit_id=${unit.id}`)).body.items[0].status).toBe('paid');
    expect((await admin.get(`/estates/${estateB}/invoices`)).body.items).toHaveLength(1);
    const gate = await admin.post(`${base}/gates`, { name: 'Gerbang Utama' });
    const guard = await admin.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: GUARD_PIN });
    const { kiosk } = await pairedKioskOnShift(server.url, admin, estateA, gate.body.id, guard.body.id);
    const pass = await admin.post(`${base}/passes`, {
      kind: 'guest',
      unit_id: unit.id,
      name: 'Tamu',
      valid_from: hoursFromNow(-1),
      valid_until: hoursFromNow(2),
    });
    expect(pass.status, pass.text).toBe(201);
    const scan = await kiosk.post(`${base}/gate/scan`, { payload: pass.body.qr_payload });
    expect(scan.body.verdict, scan.text).toBe('accepted');
  });
});

describe('row security is how the server serves on PostgreSQL unless turned off', () => {
  const currentUser = async (other: TestServer) => (await other.app.db.knex.raw('select current_user as name')).rows[0].name as string;

  it('a server started with no choice serves as the app role; rowSecurity: false serves as the URL user', async () => {
    const saved = process.env.KLUSTERA_ROW_SECURITY;
    delete process.env.KLUSTERA_ROW_SECURITY;
    try {
      const byDefault = await startTestServer({ databaseUrl: pgdb.url });
      try {
        expect(await currentUser(byDefault)).toBe(APP_ROLE);
        expect((await byDefault.app.db.knex.raw('select * from invoices')).rows).toEqual([]);
      } finally {
        await byDefault.close();
      }
      const optedOut = await startTestServer({ databaseUrl: pgdb.url, rowSecurity: false });
      try {
        expect(await currentUser(optedOut)).not.toBe(APP_ROLE);
      } finally {
        await optedOut.close();
      }
    } finally {
      if (saved === undefined) delete process.env.KLUSTERA_ROW_SECURITY;
      else process.env.KLUSTERA_ROW_SECURITY = saved;
    }
  });

  it('KLUSTERA_ROW_SECURITY is on unless 0, and a value that is neither stops the start', () => {
    expect([undefined, '', '1'].map(rowSecurityFromEnv)).toEqual([true, true, true]);
    expect(rowSecurityFromEnv('0')).toBe(false);
    expect(() => rowSecurityFromEnv('off')).toThrow(/KLUSTERA_ROW_SECURITY must be 1 or 0/);
  });
});

describe('reads and writes that span estates, as the app role', () => {
  it("a gateway's webhook is stored once, with or without its estate, before any estate is named", async () => {
    const processWebhook = defineJob({
      name: 'test.rls-webhook',
      schema: z.object({ webhook_event_id: z.string() }),
      run: async () => {},
    });
    const delivery = (eventId: string, estateId: string | null) => ({
      provider: 'xendit',
      eventId,
      estateId,
      headers: { 'x-callback-token': 'x' },
      body: '{"status":"PAID"}',
    });
    const first = await receiveWebhook(server.app.db.knex, delivery('evt_rls_a', estateA), processWebhook);
    expect(first.duplicate).toBe(false);
    expect(await receiveWebhook(server.app.db.knex, delivery('evt_rls_a', estateA), processWebhook)).toEqual({
      id: first.id,
      duplicate: true,
    });
    expect((await receiveWebhook(server.app.db.knex, delivery('evt_rls_none', null), processWebhook)).duplicate).toBe(false);
    const stored = await server.db.knex('webhook_events').whereIn('event_id', ['evt_rls_a', 'evt_rls_none']).orderBy('event_id');
    expect(stored.map((r: { estate_id: string | null }) => r.estate_id)).toEqual([estateA, null]);
  });
});
