import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let admin: ApiClient;
let estateId: string;
let mine: ApiClient;
let paymentId: string;
let paymentNumber: string;
let otherPaymentId: string;

function pdfText(bytes: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-'));
  try {
    const file = path.join(dir, 'r.pdf');
    fs.writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

beforeAll(async () => {
  server = await startTestServer();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const a = `/estates/${estateId}`;
  const unit = (await admin.post(`${a}/units`, { code: 'A-12' })).body;
  const other = (await admin.post(`${a}/units`, { code: 'B-3' })).body;
  const resident = (await admin.post(`${a}/residents`, { name: 'Dewi Santoso', unit_id: unit.id })).body;
  mine = (await userWithRole(server.url, admin, estateId, 'resident', { resident_id: resident.id })).client;
  const pay = await admin.post(`${a}/payments`, { unit_id: unit.id, amount: 450000, method: 'cash', paid_at: '2026-11-02' });
  expect(pay.status).toBe(201);
  paymentId = pay.body.id;
  paymentNumber = pay.body.payment_number;
  otherPaymentId = (await admin.post(`${a}/payments`, { unit_id: other.id, amount: 150000, method: 'cash', paid_at: '2026-11-02' })).body
    .id;
});
afterAll(async () => {
  await server.close();
});

describe('a resident downloads their own receipt from the portal', () => {
  it("gets the PDF of their unit's payment, marked as a copy", async () => {
    const res = await fetch(`${server.url}/api/v1/estates/${estateId}/portal/payments/${paymentId}/receipt.pdf`, {
      headers: { cookie: mine.cookie! },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/pdf');
    const text = pdfText(Buffer.from(await res.arrayBuffer()));
    expect(text).toContain(paymentNumber);
    expect(text).toContain('A-12');
    expect(text).toMatch(/empat ratus lima puluh ribu/i);
    expect(text).toMatch(/SALINAN/);
  });

  it("gets 404 for another unit's payment, and the office route stays closed to them", async () => {
    const other = await mine.get(`/estates/${estateId}/portal/payments/${otherPaymentId}/receipt.pdf`);
    expect(other.status).toBe(404);
    const office = await mine.get(`/estates/${estateId}/payments/${paymentId}/receipt.pdf`);
    expect(office.status).toBe(403);
  });
});
