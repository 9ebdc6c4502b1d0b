import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * Recording a payment is the office's busiest write (DESIGN.md budget: p99 < 20 ms at 200 payments a second), and
 * building a query with knex costs more than SQLite spends running it. The reads a payment makes on every call run as
 * statements compiled once (server/db/query-template.ts); on SQLite they reach the connection directly, so knex's
 * runner (whose query events this test hears) sees none of them.
 */
let server: TestServer;
let estateId: string;
let admin: ApiClient;
let unitId: string;
const e = (path: string) => `/estates/${estateId}${path}`;

beforeAll(async () => {
  // On SQLite in both runs of the suite: on PostgreSQL every statement goes through knex's runner by design.
  server = await startTestServer({ dataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-test-')) });
  ({ client: admin, estateId } = await setupEstate(server.url));
  unitId = (await admin.post(e('/units'), { code: 'B-07', type: 'rumah', occupancy: 'occupied' })).body.id;
  // Two occupants with phones: the receipt message reads occupants, their preferences, the channels and the
  // template, and writes a message for each.
  for (const [name, phone] of [
    ['Budi', '081234567801'],
    ['Sari', '081234567802'],
  ]) {
    const resident = await admin.post(e('/residents'), { name, phone, unit_id: unitId, relation: 'owner' });
    expect(resident.status).toBe(201);
  }
  await admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 100000, basis: 'flat', effective_from: '2026-01' });
  expect((await admin.post(e('/billing-runs'), { period: '2026-10', due_date: '2026-10-10' })).status).toBe(201);
});
afterAll(async () => {
  await server.close();
});

describe('recording a payment', () => {
  it('runs its per-payment reads as compiled statements, none built by knex per call', async () => {
    const built: string[] = [];
    const listen = (q: { sql: string }) => built.push(q.sql);
    server.db.knex.on('query', listen);
    let res;
    try {
      res = await admin.post(e('/payments'), { unit_id: unitId, amount: 150000, method: 'cash', paid_at: '2026-10-05T03:00:00Z' });
    } finally {
      server.db.knex.off('query', listen);
    }
    expect(res.status).toBe(201);
    // The receipt message was queued for both occupants: the reads below did run, just not through knex's builder.
    const messages = await server.db.knex('messages').where({ cause_id: res.body.id, template_key: 'payment_received' });
    expect(messages.length).toBe(2);
    const perPaymentReads = built.filter((sql) =>
      /\b(estates|message_templates|message_channels|message_preferences|unit_occupancies|webpush_subscriptions)\b/.test(sql),
    );
    // Background work (the job runner, settings caches) may run its own statements meanwhile: only the payment's count.
    expect(perPaymentReads).toEqual([]);
  });
});
