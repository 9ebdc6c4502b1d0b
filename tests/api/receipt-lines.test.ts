import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

/**
 * A receipt names each fee it paid on its own line with the period, is spelled "kuitansi", and shows no hour for a
 * payment entered by its date.
 */
let server: TestServer;
let admin: ApiClient;
let estateId: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'kuitansi-'));

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  unitId = (await admin.post(e('/units'), { code: 'C-3', block: 'C', type: 'rumah', occupancy: 'occupied' })).body.id;
  for (const [code, name, amount] of [
    ['IPL', 'Iuran Pengelolaan Lingkungan', 100_000],
    ['AMAN', 'Keamanan', 50_000],
  ] as const) {
    const fee = await admin.post(e('/fee-types'), { code, name, amount, basis: 'flat', effective_from: '2026-10' });
    expect(fee.status, fee.text).toBe(201);
  }
  for (const period of ['2026-10', '2026-11']) {
    const run = await admin.post(e('/billing-runs'), { period, due_date: `${period}-10` });
    expect(run.status, run.text).toBeLessThan(300);
  }
});

afterAll(async () => {
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function pay(amount: number, paid_at: string): Promise<string> {
  const res = await admin.post(e('/payments'), { unit_id: unitId, amount, method: 'cash', paid_at });
  expect(res.status, res.text).toBe(201);
  return res.body.id;
}

async function receiptPdfText(paymentId: string): Promise<string> {
  const res = await fetch(`${server.url}/api/v1${e(`/payments/${paymentId}/receipt.pdf`)}`, { headers: { cookie: admin.cookie! } });
  expect(res.status).toBe(200);
  expect(res.headers.get('content-disposition')).toContain('kuitansi-');
  const file = path.join(tmp, `${paymentId}.pdf`);
  fs.writeFileSync(file, Buffer.from(await res.arrayBuffer()));
  return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
}

describe('receipt lines, spelling and time', () => {
  it('lists each fee of each paid month on its own line with the period', async () => {
    const id = await pay(220_000, '2026-11-10');
    const r = await admin.get(e(`/payments/${id}/receipt`));
    expect(r.status, r.text).toBe(200);
    // Lines in the order the invoices list them; November's second fee is paid only in part.
    expect(r.body.items).toEqual([
      { description: 'Keamanan, Oktober 2026', amount: 50_000 },
      { description: 'Iuran Pengelolaan Lingkungan, Oktober 2026', amount: 100_000 },
      { description: 'Keamanan, November 2026', amount: 50_000 },
      { description: 'Iuran Pengelolaan Lingkungan, November 2026 (sebagian)', amount: 20_000 },
    ]);
    const text = await receiptPdfText(id);
    expect(text).toMatch(/Keamanan, Oktober 2026\s+Rp 50\.000/);
    expect(text).toMatch(/K ?U ?I ?T ?A ?N ?S ?I/);
    expect(text).toContain('No. Kuitansi');
    expect(text).not.toMatch(/kwitansi/i);
    // Entered by date: the day, and no hour the treasurer never typed.
    expect(text).toMatch(/Tanggal bayar\s+10 November 2026\s*\n/);
    expect(text).not.toMatch(/10 November 2026 \d\d\.\d\d/);
  });

  it('continues a part-paid fee where the last payment stopped, and keeps a recorded time', async () => {
    const id = await pay(80_000, '2026-11-12T08:15:00.000Z');
    const r = await admin.get(e(`/payments/${id}/receipt`));
    expect(r.body.items).toEqual([{ description: 'Iuran Pengelolaan Lingkungan, November 2026 (sebagian)', amount: 80_000 }]);
    const text = await receiptPdfText(id);
    expect(text).toContain('12 November 2026 15.15');
  });

  it('shows the verify page with the same lines and spelling', async () => {
    const id = await pay(10_000, '2026-11-13');
    const receipt = await admin.get(e(`/payments/${id}/receipt`));
    const html = await (
      await fetch(receipt.body.verify_url.replace(/^https?:\/\/[^/]+/, server.url), { headers: { accept: 'text/html' } })
    ).text();
    expect(html).toContain('Kuitansi');
    expect(html).not.toMatch(/kwitansi/i);
  });
});
