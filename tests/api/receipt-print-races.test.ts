import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTestDatabase, type TestDatabase } from '../setup/pg-database.ts';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * The original receipt (ASLI) is handed over once. Printing it is an explicit POST; reading a receipt never uses it
 * up, and two prints sent at once make one original and one copy — on SQLite and on PostgreSQL (`pgUrl`), where
 * several server processes may share the database.
 */
describe.each(['sqlite', 'postgres'] as const)('receipt prints on %s', (backend) => {
  let pgdb: TestDatabase | undefined;
  let server: TestServer;
  let printer: EscPosListener;
  let admin: ApiClient;
  let estateId: string;
  let unitId: string;
  const e = (p: string) => `/estates/${estateId}${p}`;

  beforeAll(async () => {
    if (backend === 'postgres') pgdb = await createTestDatabase(inject('pgUrl'));
    server = await startTestServer(pgdb ? { databaseUrl: pgdb.url } : {});
    printer = await startEscPosListener();
    ({ client: admin, estateId } = await setupEstate(server.url));
    unitId = (await admin.post(e('/units'), { code: 'C-3', type: 'rumah', occupancy: 'occupied' })).body.id;
    expect((await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port })).status).toBe(200);
  });
  afterAll(async () => {
    await printer?.close();
    await server?.close();
    await pgdb?.drop();
  });

  async function pay(): Promise<string> {
    const res = await admin.post(e('/payments'), { unit_id: unitId, amount: 50_000, method: 'cash', paid_at: '2026-11-21T07:05:00.000Z' });
    expect(res.status, res.text).toBe(201);
    return res.body.id;
  }

  function printPdf(paymentId: string) {
    return fetch(`${server.url}/api/v1${e(`/payments/${paymentId}/receipt/print`)}`, {
      method: 'POST',
      headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrf!, 'content-type': 'application/json' },
      body: JSON.stringify({ target: 'pdf' }),
    });
  }

  const prints = async (paymentId: string) => (await admin.get(e(`/payments/${paymentId}/receipt`))).body.prints as number;

  it('GETs of a new receipt, even at once, create it once and never change the print count', async () => {
    const id = await pay();
    const reads = await Promise.all([
      ...Array.from({ length: 4 }, () =>
        fetch(`${server.url}/api/v1${e(`/payments/${id}/receipt.pdf`)}`, { headers: { cookie: admin.cookie! } }),
      ),
      ...Array.from({ length: 4 }, () => admin.get(e(`/payments/${id}/receipt`))),
    ]);
    for (const r of reads) expect(r.status).toBe(200);
    const numbers = new Set(reads.slice(4).map((r) => (r as { body: { receipt_number: string } }).body.receipt_number));
    expect(numbers.size).toBe(1);
    expect(await prints(id)).toBe(0);
  });

  it('two PDF prints sent at once make exactly one original', async () => {
    const id = await pay();
    const answers = await Promise.all([printPdf(id), printPdf(id), printPdf(id)]);
    for (const a of answers) expect(a.status).toBe(200);
    const numbers = answers.map((a) => a.headers.get('x-print-number')).sort();
    expect(numbers).toEqual(['1', '2', '3']);
    expect(await prints(id)).toBe(3);
  });

  it('two slips sent to the printer at once: one original, one copy', async () => {
    const id = await pay();
    const answers = await Promise.all([
      admin.post(e(`/payments/${id}/receipt/print`), { target: 'printer' }),
      admin.post(e(`/payments/${id}/receipt/print`), { target: 'printer' }),
    ]);
    for (const a of answers) expect(a.status, a.text).toBe(200);
    expect(answers.map((a) => a.body.print_number).sort()).toEqual([1, 2]);
    const jobs = [await printer.nextJob(), await printer.nextJob()].map((j) => decodeEscPos(j).lines.join('\n'));
    expect(jobs.filter((j) => j.includes('SALINAN')).length).toBe(1);
    expect(await prints(id)).toBe(2);
  });
});
