import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, waitForPath, waitForText } from './support/browser.ts';

/**
 * The treasurer's month in real Chromium: run November's billing, record a cash payment for A-12 (double-clicking
 * the button), download and print its receipt, and watch A-12's November cell in the arrears grid go from owed to
 * paid.
 */
let server: TestServer;
let browser: Browser;
let printer: EscPosListener;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
const units: Record<string, string> = {};
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-ledger-'));

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  printer = await startEscPosListener();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  for (const code of ['A-1', 'A-11', 'A-12']) {
    const r = await admin.post(e('/units'), { code, block: 'A' });
    expect(r.status).toBe(201);
    units[code] = r.body.id;
  }
  expect((await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: units['A-12'], relation: 'owner' })).status).toBe(201);
  expect(
    (
      await admin.post(e('/fee-types'), {
        code: 'IPL',
        name: 'Iuran Pengelolaan Lingkungan',
        amount: 100_000,
        basis: 'flat',
        effective_from: '2026-01',
      })
    ).status,
  ).toBe(201);
  expect(
    (await admin.post(e('/fee-types'), { code: 'KEAMANAN', name: 'Keamanan', amount: 50_000, basis: 'flat', effective_from: '2026-01' }))
      .status,
  ).toBe(201);
  expect(
    (
      await admin.post(e('/cashbook/accounts'), {
        name: 'Kas Bendahara',
        kind: 'cash',
        opening_balance: 500_000,
        opening_date: '2026-10-01',
      })
    ).status,
  ).toBe(201);
  expect(
    (await admin.put(e('/settings/printer'), { connection: 'network', host: '127.0.0.1', port: printer.port, paper_width: 58 })).status,
  ).toBe(200);
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
});

afterAll(async () => {
  await browser?.close();
  await printer?.close();
  await server?.close();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('treasurer ledger in Chromium', () => {
  it('bills November, records a cash payment for A-12 once, gets its receipt and sees the arrears grid change', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email atau nomor HP').fill(treasurer.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill(treasurer.password);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.getByRole('link', { name: 'Ringkasan' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Ringkasan keuangan');

    // Before billing: nobody owes anything, so the arrears page lists no unit.
    await page.goto(`${server.url}/arrears?year=2026`);
    await page.getByTestId('arrears-none').waitFor();

    // Billing run: preview, then run.
    await page.getByRole('link', { name: 'Penagihan bulanan' }).click();
    await waitForPath(page, '/billing');
    await page.locator('input[name="period"]').fill('2026-11');
    await page.locator('input[name="due_date"]').fill('2026-11-10');
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    await waitForText(page.getByTestId('billing-preview'), '3 tagihan baru untuk 3 unit');
    await page.getByRole('button', { name: 'Jalankan penagihan' }).click();
    await waitForText(page.getByTestId('billing-result'), 'Selesai: 3 tagihan dibuat');
    await screenshot(page, 'ledger-01-billing');

    await page.getByRole('link', { name: 'Tunggakan' }).click();
    await waitForPath(page, '/arrears');
    await waitForText(page.locator('[data-testid="arrears-grid"] tr[data-unit="A-12"] td[data-period="2026-11"]'), '150.000');
    await waitForText(page.getByTestId('arrears-summary'), '3 unit menunggak');

    // Record the payment; a double click must still record one payment.
    await page.getByRole('link', { name: 'Pembayaran', exact: true }).click();
    await page.getByRole('link', { name: 'Catat pembayaran' }).click();
    await waitForPath(page, '/payments/new');
    await page.locator('input[name="unit"]').fill('A-12');
    await page.getByRole('option').getByRole('button', { name: 'A-12 · Budi Santoso', exact: true }).click();
    await waitForText(page.getByTestId('unit-balance'), 'Tagihan terbuka: Rp 150.000');
    await waitForText(page.getByTestId('unit-resident'), 'Budi Santoso');
    // What A-12 owes is filled in for the treasurer.
    await expect.poll(() => page.locator('input[name="amount"]').inputValue()).toBe('150000');
    await page.locator('input[name="amount"]').fill('150000');
    await page.locator('select[name="method"]').selectOption('cash');
    await page.locator('input[name="paid_at"]').fill('2026-11-21');
    await page.getByRole('button', { name: 'Catat pembayaran' }).dblclick();
    await waitForText(page.getByTestId('payment-recorded'), /Pembayaran PAY\d+ tercatat/);
    await waitForText(page.getByTestId('payment-recorded'), 'INV/2026/11/');
    await screenshot(page, 'ledger-02-payment');
    const payments = await admin.get(`/estates/${estateId}/payments?unit_id=${units['A-12']}`);
    expect(payments.body.total).toBe(1);
    const paymentNumber = payments.body.items[0].payment_number as string;

    // Receipt: download the PDF and print the thermal slip.
    await page.getByRole('link', { name: 'Lihat pembayaran' }).click();
    await waitForText(page.getByTestId('payment-amount'), 'Rp 150.000');
    // The first explicit print is the original; the download link beside it is always a copy.
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-print-pdf').click()]);
    const pdfPath = path.join(tmp, 'kuitansi.pdf');
    await download.saveAs(pdfPath);
    expect(fs.readFileSync(pdfPath).subarray(0, 5).toString()).toBe('%PDF-');
    const receiptText = execFileSync('pdftotext', [pdfPath, '-'], { encoding: 'utf8' });
    expect(receiptText).toContain(paymentNumber);
    expect(receiptText).toContain('A-12');
    expect(receiptText).not.toContain('SALINAN');
    await waitForText(page.getByRole('status'), 'Kuitansi ASLI dicetak.');
    const [copyDownload] = await Promise.all([page.waitForEvent('download'), page.getByTestId('receipt-download').click()]);
    const copyPath = path.join(tmp, 'kuitansi-salinan.pdf');
    await copyDownload.saveAs(copyPath);
    expect(execFileSync('pdftotext', [copyPath, '-'], { encoding: 'utf8' })).toContain('SALINAN / COPY');

    await page.getByRole('button', { name: 'Cetak struk' }).click();
    await waitForText(page.getByRole('status'), 'Struk dikirim ke printer. SALINAN ke-1 dicetak.');
    const slip = decodeEscPos(await printer.nextJob());
    expect(slip.lines.join('\n')).toContain(paymentNumber);
    expect(slip.lines.join('\n')).toContain('A-12');
    expect(slip.images.length).toBeGreaterThan(0);

    // A-12 has paid, so it leaves the list of units that owe; the others still owe November.
    await page.getByRole('link', { name: 'Tunggakan' }).click();
    await waitForText(page.locator('[data-testid="arrears-grid"] tr[data-unit="A-11"] td[data-period="2026-11"]'), '150.000');
    await page.locator('[data-testid="arrears-grid"] tr[data-unit="A-12"]').waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('arrears-summary'), '2 unit menunggak');
    await screenshot(page, 'ledger-03-arrears');

    // The dashboard agrees.
    await page.getByRole('link', { name: 'Ringkasan' }).click();
    await waitForText(page.getByTestId('stat-outstanding'), 'Rp 300.000');
    await page.getByTestId('billed-collected-chart').waitFor();
    await screenshot(page, 'ledger-04-dashboard');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
