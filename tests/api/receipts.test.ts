import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { readQrFromRaster } from '../support/raster-qr.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';

let server: TestServer;
let printer: EscPosListener;
let admin: ApiClient;
let estateId: string;
let unitId: string;
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  server = await startTestServer();
  printer = await startEscPosListener();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const unit = await admin.post(e('/units'), { code: 'A-12', block: 'A', type: 'rumah', occupancy: 'occupied' });
  expect(unit.status).toBe(201);
  unitId = unit.body.id;
  expect((await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: unitId, relation: 'owner' })).status).toBe(201);
  expect(
    (await admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 150_000, basis: 'flat', effective_from: '2026-10' })).status,
  ).toBe(201);
  for (const period of ['2026-10', '2026-11']) {
    const run = await admin.post(e('/billing-runs'), { period, due_date: `${period}-10` });
    expect(run.status, run.text).toBeLessThan(300);
  }
});

afterAll(async () => {
  await printer?.close();
  await server?.close();
});

async function pay(amount: number, method = 'cash') {
  const res = await admin.post(e('/payments'), { unit_id: unitId, amount, method, paid_at: '2026-11-21T07:05:00.000Z' });
  expect(res.status, res.text).toBe(201);
  return res.body as { id: string; payment_number?: string; number?: string };
}
const numberOf = (p: { payment_number?: string; number?: string }) => (p.payment_number ?? p.number)!;

function pdfText(pdf: Buffer): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-api-'));
  try {
    fs.writeFileSync(path.join(dir, 'r.pdf'), pdf);
    return execFileSync('pdftotext', ['-layout', path.join(dir, 'r.pdf'), '-']).toString();
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function printPdf(paymentId: string, options: { paper?: string } = {}) {
  const res = await fetch(`${server.url}/api/v1${e(`/payments/${paymentId}/receipt/print`)}`, {
    method: 'POST',
    headers: { cookie: admin.cookie!, 'x-csrf-token': admin.csrf!, 'content-type': 'application/json' },
    body: JSON.stringify({ target: 'pdf', ...options }),
  });
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    printNumber: res.headers.get('x-print-number'),
    body: Buffer.from(await res.arrayBuffer()),
  };
}

async function getPdf(paymentId: string, query = '') {
  const res = await fetch(`${server.url}/api/v1${e(`/payments/${paymentId}/receipt.pdf${query}`)}`, { headers: { cookie: admin.cookie! } });
  return { status: res.status, type: res.headers.get('content-type'), body: Buffer.from(await res.arrayBuffer()) };
}

describe('receipts', () => {
  it('refuses to print before a printer is configured, and rejects a bad printer setting', async () => {
    const p = await pay(150_000);
    const res = await admin.post(e(`/payments/${p.id}/print`), {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PRINTER_NOT_CONFIGURED');
    for (const bad of [
      { connection: 'network' },
      { connection: 'network', host: '127.0.0.1', port: 70000 },
      { connection: 'usb', vendor_id: 1208 },
      { connection: 'file', device_path: '/etc/passwd' },
      { connection: 'network', host: '127.0.0.1', paper_width: 72 },
      { connection: 'serial' },
    ]) {
      const r = await admin.put(e('/settings/printer'), bad);
      expect(r.status, JSON.stringify(bad)).toBe(400);
    }
    expect((await admin.get(e('/settings/printer'))).body.printer).toBeNull();
  });

  it('PDF receipt: numbers, unit, amount in words; the first explicit print is the original, downloads and reprints are copies', async () => {
    const p = await pay(200_000);
    const first = await printPdf(p.id);
    expect(first.status).toBe(200);
    expect(first.type).toBe('application/pdf');
    expect(first.printNumber).toBe('1');
    const text = pdfText(first.body);
    expect(text).toContain(numberOf(p));
    expect(text).toContain(numberOf(p).replace(/^PAY/, 'KW'));
    expect(text).toContain('A-12');
    expect(text).toContain('Budi Santoso');
    expect(text).toContain('Rp 200.000');
    expect(text.replace(/\s+/g, ' ')).toContain('dua ratus ribu rupiah');
    // October was paid by the previous test; this pays November and leaves the rest as credit.
    expect(text).toMatch(/IPL, November 2026 +Rp 150\.000/);
    expect(text).toMatch(/Saldo titipan .* +Rp 50\.000/);
    expect(text).not.toContain('SALINAN');

    const second = await printPdf(p.id, { paper: 'A6' });
    expect(second.status).toBe(200);
    expect(second.printNumber).toBe('2');
    expect(pdfText(second.body)).toContain('SALINAN / COPY ke-1');
    const download = await getPdf(p.id);
    expect(download.status).toBe(200);
    expect(pdfText(download.body)).toContain('SALINAN / COPY');
    expect((await getPdf(p.id, '?paper=A4')).status).toBe(400);
    expect((await admin.post(e(`/payments/${p.id}/receipt/print`), { target: 'fax' })).status).toBe(400);
  });

  it('looking at a receipt never counts as a print: GETs leave the original for the first explicit print', async () => {
    const p = await pay(80_000);
    for (let i = 0; i < 3; i++) {
      const copy = await getPdf(p.id);
      expect(copy.status).toBe(200);
      expect(pdfText(copy.body)).toContain('SALINAN / COPY');
      expect((await admin.get(e(`/payments/${p.id}/receipt`))).body.prints).toBe(0);
    }
    const original = await printPdf(p.id);
    expect(original.printNumber).toBe('1');
    expect(pdfText(original.body)).not.toContain('SALINAN');
    expect((await admin.get(e(`/payments/${p.id}/receipt`))).body.prints).toBe(1);
    await getPdf(p.id);
    expect((await admin.get(e(`/payments/${p.id}/receipt`))).body.prints).toBe(1);
  });

  it('thermal receipt on a network printer: 58 mm within 32 columns, raster QR that verifies, reprints are copies', async () => {
    const p = await pay(175_000);
    const put = await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port, paper_width: 58 });
    expect(put.status).toBe(200);

    const res = await admin.post(e(`/payments/${p.id}/print`), {});
    expect(res.status, res.text).toBe(200);
    expect(res.body).toMatchObject({ printed: true, print_number: 1, copy: false });
    const job = decodeEscPos(await printer.nextJob());
    for (const line of job.lines) expect(line.length).toBeLessThanOrEqual(32);
    expect(job.lines.some((l) => l.includes(numberOf(p)))).toBe(true);
    expect(job.lines.some((l) => /^Unit +A-12$/.test(l))).toBe(true);
    expect(job.lines.some((l) => /^TOTAL +Rp 175\.000$/.test(l))).toBe(true);
    expect(job.lines.join(' ')).toContain('seratus tujuh puluh lima ribu rupiah');
    expect(job.commands).toContain('GS v 0');
    expect(job.nativeQrCommands).toBe(0);
    expect(job.lines.join('\n')).not.toContain('SALINAN');
    const url = readQrFromRaster(job.images[0]);
    expect(url).toMatch(new RegExp(`^${server.url}/api/v1/receipts/verify/[A-Za-z0-9_-]{24}$`));
    const verify = await fetch(url!);
    expect(verify.status).toBe(200);
    expect(await verify.json()).toMatchObject({
      valid: true,
      status: 'valid',
      payment_number: numberOf(p),
      unit_code: 'A-12',
      amount: 175_000,
    });

    const again = await admin.post(e(`/payments/${p.id}/print`), { paper_width: 80 });
    expect(again.body).toMatchObject({ print_number: 2, copy: true });
    const copy = decodeEscPos(await printer.nextJob());
    for (const line of copy.lines) expect(line.length).toBeLessThanOrEqual(48);
    expect(copy.lines.some((l) => /^Unit +A-12$/.test(l) && l.length === 48)).toBe(true);
    expect(copy.lines).toContain('*** SALINAN / COPY ke-1 ***');
    expect(readQrFromRaster(copy.images[0])).toBe(url);
  });

  it('an unreachable printer is a 409 and does not use up the original', async () => {
    const p = await pay(100_000);
    const gone = await startEscPosListener();
    await gone.close();
    await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: gone.port, timeout_ms: 1000 });
    const res = await admin.post(e(`/payments/${p.id}/print`), {});
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('PRINTER_UNAVAILABLE');
    await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port });
    expect((await admin.post(e(`/payments/${p.id}/print`), {})).body).toMatchObject({ print_number: 1, copy: false });
    await printer.nextJob();
    expect((await admin.post(e(`/payments/${p.id}/print`), { paper_width: 57 })).status).toBe(400);
  });

  it('verify: valid, then reversed after the payment is reversed; a forged code finds nothing', async () => {
    const p = await pay(125_000, 'bank_transfer');
    const data = await admin.get(e(`/payments/${p.id}/receipt`));
    expect(data.status).toBe(200);
    const code = data.body.verify_url.split('/').pop();
    const verifyPath = `${server.url}/api/v1/receipts/verify/${code}`;

    const ok = await (await fetch(verifyPath)).json();
    expect(ok).toMatchObject({
      valid: true,
      status: 'valid',
      receipt_number: data.body.receipt_number,
      amount_formatted: 'Rp 125.000',
      method: 'bank_transfer',
    });
    // Only what the receipt shows: no internal ids.
    expect(JSON.stringify(ok)).not.toContain(estateId);
    expect(JSON.stringify(ok)).not.toContain(unitId);
    expect(JSON.stringify(ok)).not.toContain(p.id);
    const page = await fetch(verifyPath, { headers: { accept: 'text/html' } });
    expect(page.headers.get('content-type')).toContain('text/html');
    expect(await page.text()).toContain('SAH');

    expect((await admin.post(e(`/payments/${p.id}/reverse`), { reason: 'Salah unit' })).status).toBeLessThan(300);
    const reversed = await (await fetch(verifyPath)).json();
    expect(reversed).toMatchObject({ valid: false, status: 'reversed', receipt_number: data.body.receipt_number });
    expect(pdfText((await getPdf(p.id)).body)).toContain('DIBATALKAN');

    for (const forged of [
      'AbCdEfGhIjKlMnOpQrStUvWx',
      `${code.slice(0, -1)}${code.endsWith('A') ? 'B' : 'A'}`,
      'x',
      "'; drop table receipts;--",
    ]) {
      const res = await fetch(`${server.url}/api/v1/receipts/verify/${encodeURIComponent(forged)}`);
      expect(res.status).toBe(404);
      expect((await res.json()).error.code).toBe('RECEIPT_NOT_FOUND');
    }
    const forgedPage = await fetch(`${server.url}/api/v1/receipts/verify/AbCdEfGhIjKlMnOpQrStUvWx`, { headers: { accept: 'text/html' } });
    expect(forgedPage.status).toBe(404);
    expect(await forgedPage.text()).toContain('TIDAK SAH');
  });

  it('payments post to the cash book, reversals post back out, and the chain verifies', async () => {
    const p = await pay(90_000, 'qris');
    const entries = (await admin.get(e('/cashbook/entries?limit=500'))).body.items;
    const posted = entries.find((x: any) => x.source_type === 'payment' && x.proof_number === numberOf(p));
    expect(posted).toMatchObject({ direction: 'in', amount: 90_000, category: 'iuran', entry_date: '2026-11-21' });
    const accounts = (await admin.get(e('/cashbook/accounts'))).body.items;
    expect(accounts.find((a: any) => a.id === posted.account_id).kind).toBe('bank');
    const reversedOut = entries.filter((x: any) => x.source_type === 'payment_reversal');
    expect(reversedOut).toHaveLength(1);
    expect((await admin.get(e('/cashbook/verify'))).body.ok).toBe(true);
  });

  it('settings: receipt paper and public address shape the receipt; a device-file printer and the test slip work', async () => {
    const p = await pay(60_000);
    const put = await admin.put(e('/settings/receipt'), {
      paper: 'A6',
      public_base_url: 'http://192.168.1.10:8080/',
      signer_title: 'Bendahara RT 003',
      footer: 'Terima kasih',
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ paper: 'A6', public_base_url: 'http://192.168.1.10:8080' });
    expect((await admin.put(e('/settings/receipt'), { public_base_url: 'javascript:alert(1)' })).status).toBe(400);
    const data = await admin.get(e(`/payments/${p.id}/receipt`));
    expect(data.body.verify_url).toMatch(/^http:\/\/192\.168\.1\.10:8080\/api\/v1\/receipts\/verify\/[\w-]{24}$/);
    const pdf = await getPdf(p.id);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'kw-a6-'));
    try {
      fs.writeFileSync(path.join(dir, 'r.pdf'), pdf.body);
      expect(execFileSync('pdfinfo', [path.join(dir, 'r.pdf')]).toString()).toMatch(/Page size:\s+297\.\d+ x 419\.\d+ pts/);
      expect(pdfText(pdf.body)).toContain('Bendahara RT 003');

      // Device files are character devices only (no print-to-file): /dev/null swallows the job.
      expect((await admin.put(e('/settings/printer'), { connection: 'file', device_path: '/dev/null', paper_width: 80 })).status).toBe(200);
      expect((await admin.get(e('/settings/printer'))).body.printer).toMatchObject({
        connection: 'file',
        device_path: '/dev/null',
        paper_width: 80,
        port: 9100,
      });
      expect((await admin.post(e(`/payments/${p.id}/print`), {})).status).toBe(200);
      expect((await admin.post(e('/settings/printer/test'), {})).body).toMatchObject({ printed: true });
      expect((await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port })).status).toBe(200);
      expect((await admin.post(e('/settings/printer/test'), {})).body).toMatchObject({ printed: true });
      const decoded = decodeEscPos(await printer.nextJob());
      expect(decoded.lines).toContain('Tes printer Klustera');
      expect(decoded.images).toHaveLength(1);
      expect(decoded.cuts).toBe(1);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
    expect((await admin.delete(e('/settings/printer'))).status).toBe(204);
    expect((await admin.get(e('/settings/printer'))).body.printer).toBeNull();
    expect((await admin.post(e(`/payments/${p.id}/print`), {})).body.error.code).toBe('PRINTER_NOT_CONFIGURED');
    await admin.put(e('/settings/receipt'), { paper: 'A5' });
  });

  it("answers 404 for another estate's payment", async () => {
    const p = await pay(50_000);
    const other = await admin.post('/estates', { name: 'Perumahan Sebelah' });
    const o = `/estates/${other.body.id}`;
    expect((await admin.get(`${o}/payments/${p.id}/receipt`)).status).toBe(404);
    expect((await admin.post(`${o}/payments/${p.id}/print`, {})).status).toBe(404);
    const pdf = await fetch(`${server.url}/api/v1${o}/payments/${p.id}/receipt.pdf`, { headers: { cookie: admin.cookie! } });
    expect(pdf.status).toBe(404);
    expect((await admin.get(e('/payments/01900000-0000-7000-8000-000000000000/receipt'))).status).toBe(404);
  });
});
