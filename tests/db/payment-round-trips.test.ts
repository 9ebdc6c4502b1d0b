// Recording a payment on PostgreSQL as the app role. From the payment number on (its counter's row lock) and the
// estate's cash-book lock, every other payment of the estate waits for this one to commit, so each statement made
// after the number is a wait for all of them: at 200 payments a second the 23 statements made there built a queue.
// What needs no estate-wide lock (the unit, its open invoices, the payer, messages, the account) is read first; the
// payment, its allocations and its credit are one statement; the journal, the idempotency record and the sync signal
// another. Many payments of one estate at once still mint consecutive numbers and one unbroken cash-book chain.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

let pgdb: TestDatabase;
let server: TestServer;
let admin: ApiClient;
let estateId: string;
const unitIds: string[] = [];
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  pgdb = await createTestDatabase(inject('pgUrl'));
  server = await startTestServer({ databaseUrl: pgdb.url, rowSecurity: true, backgroundJobs: false });
  ({ client: admin, estateId } = await setupEstate(server.url, 'Perumahan A'));
  for (let n = 1; n <= 4; n++) {
    const unit = await admin.post(e('/units'), { code: `A-${n}`, type: 'rumah', occupancy: 'occupied' });
    expect(unit.status, unit.text).toBe(201);
    unitIds.push(unit.body.id);
  }
  const fee = await admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 100000, basis: 'flat', effective_from: '2026-01' });
  expect(fee.status, fee.text).toBe(201);
  for (const period of ['2026-09', '2026-10'])
    expect((await admin.post(e('/billing-runs'), { period, due_date: `${period}-10` })).status).toBe(201);
});
afterAll(async () => {
  await server?.close();
  await pgdb?.drop();
});

type Seen = { sql: string; options?: { name?: string } };

/** The statements the app role's pool ran while `call` was answered. */
async function statementsOf(call: () => Promise<unknown>): Promise<Seen[]> {
  const seen: Seen[] = [];
  const listen = (q: Seen) => void seen.push(q);
  server.app.db.knex.on('query', listen);
  try {
    await call();
  } finally {
    server.app.db.knex.off('query', listen);
  }
  return seen;
}

const pay = (unitId: string, amount: number, key: string) =>
  admin.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at: '2026-10-05' }, { 'Idempotency-Key': key });

describe('a payment on PostgreSQL as the app role', () => {
  it('makes few statements while it holds the estate-wide locks, and writes every row', async () => {
    // The estate's first payment makes its cash account, under the lock; the ones after it find the account first.
    expect((await pay(unitIds[3], 100000, 'first-of-estate')).status).toBe(201);
    let answer: { status: number; text: string; body: any } | undefined;
    const statements = await statementsOf(async () => {
      answer = await pay(unitIds[0], 250000, 'round-trips-1');
    });
    expect(answer?.status, answer?.text).toBe(201);
    const sql = statements.map((s) => s.sql.trim());
    const numbered = sql.findIndex((s) => s.startsWith('insert into "sequences"'));
    expect(numbered).toBeGreaterThan(0);
    const locked = sql.slice(numbered);
    // The number, the payment's rows, the cash-book lock, the home site, the month with the chain head, the entry, the
    // journal, COMMIT.
    expect(locked.length, locked.join('\n')).toBeLessThanOrEqual(8);
    expect(locked[locked.length - 1]).toMatch(/^commit/i);
    expect(locked.filter((s) => s.includes('pg_advisory_xact_lock'))).toHaveLength(1);
    const journal = locked.find((s) => s.includes('insert into "audit_log"'))!;
    expect(journal).toContain('insert into "idempotency_keys"');
    expect(journal).toContain('insert into "outbox"');
    expect(journal).toContain('pg_notify');
    // Compiled queries run as named prepared statements: parsed and planned once per connection.
    expect(statements.filter((s) => s.options?.name?.startsWith('kq_')).length).toBeGreaterThan(3);

    const payment = answer!.body as { id: string; payment_number: string; credit: number; allocations: Array<{ amount: number }> };
    expect(payment.allocations.map((a: { amount: number }) => a.amount)).toEqual([100000, 100000]);
    expect(payment.credit).toBe(50000);
    const read = await admin.get(e(`/payments/${payment.id}`));
    expect(read.status, read.text).toBe(200);
    expect(read.body).toMatchObject({ id: payment.id, payment_number: payment.payment_number, credit: 50000, status: 'recorded' });
    expect(read.body.allocations).toEqual(payment.allocations);
    const entries = await admin.get(e('/cashbook/entries'));
    expect(entries.body.items.filter((i: { source_id: string }) => i.source_id === payment.id)).toHaveLength(1);
    const rows = await server.db.knex('outbox').whereIn('row_id', [payment.id]).select('table_name');
    expect(rows.map((r: { table_name: string }) => r.table_name)).toEqual(['payments']);
    // The same key again answers the first result and writes nothing.
    const again = await pay(unitIds[0], 250000, 'round-trips-1');
    expect(again.status).toBe(201);
    expect(again.body.id).toBe(payment.id);
    expect(await server.db.knex('payments').where({ estate_id: estateId }).count({ n: '*' })).toEqual([{ n: 2 }]);
  });

  it('mints consecutive numbers and one unbroken chain for many payments of one estate at once', async () => {
    const answers = await Promise.all(Array.from({ length: 24 }, (_, i) => pay(unitIds[i % unitIds.length], 50000, `at-once-${i}`)));
    for (const a of answers) expect(a.status, a.text).toBe(201);
    const numbers = answers.map((a) => a.body.payment_number as string).sort();
    expect(new Set(numbers).size).toBe(24);
    const seqs = numbers.map((n) => Number(n.slice(-3)));
    expect(seqs[seqs.length - 1] - seqs[0]).toBe(23);
    const verify = await admin.get(e('/cashbook/verify'));
    expect(verify.status, verify.text).toBe(200);
    expect(verify.body.ok).toBe(true);
    const [{ n }] = await server.db.knex('cashbook_entries').where({ estate_id: estateId, source_type: 'payment' }).count({ n: '*' });
    expect(n).toBe(26);
  });
});
