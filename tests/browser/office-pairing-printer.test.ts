// The office at 1366x768: pairing a kiosk by QR (the tablet opens the decoded address and pairs), revoking it and
// issuing a new code, and the receipt printer settings page with a test print to a real TCP "printer" on 127.0.0.1;
// "Cetak struk" errors name the problem and lead to that page.
import fs from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { ADMIN, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, waitForText } from './support/browser.ts';

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let printer: EscPosListener;

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer();
  browser = await launchChromium();
  printer = await startEscPosListener();
  ({ client: admin, estateId } = await setupEstate(server.url));
  await admin.post(`/estates/${estateId}/gates`, { name: 'Gerbang Utama' });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await printer?.close();
  await server?.close();
});

async function office(language: 'id' | 'en' = 'id'): Promise<Page> {
  const { context, page } = await newPage(browser, DESKTOP);
  await context.addInitScript((lang) => localStorage.setItem('klustera.language', lang), language);
  await page.goto(`${server.url}/login`);
  await page.locator('input[name="login"], input[type="email"], input[autocomplete="username"]').first().fill(ADMIN.email);
  await page.locator('input[type="password"]').first().fill(ADMIN.password);
  await page.locator('form button[type="submit"]').first().click();
  await page.waitForURL((url) => url.pathname !== '/login');
  return page;
}

async function qrOf(page: Page): Promise<string> {
  const shot = await page.getByTestId('pairing-qr').screenshot();
  const image = PNG.sync.read(shot);
  const text = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
  expect(text).toBeTruthy();
  return text!;
}

describe('kiosk pairing by QR in the office', () => {
  it('shows a QR the tablet opens to pair; after a revoke, a new code and QR pair it again', async () => {
    // The office window runs on 127.0.0.1; the tablet needs the address saved as the installation's public one.
    const saved = await admin.put('/installation/public-url', { public_url: 'http://192.168.1.10:4780' });
    expect(saved.status, saved.text).toBe(200);
    const page = await office();
    await page.goto(`${server.url}/gate/setup`);
    await page.getByLabel('Nama perangkat').fill('Tablet pos depan');
    await page.getByRole('button', { name: 'Buat kode pemasangan' }).click();
    await waitForText(page.getByTestId('pairing-code'), 'Pindai kode QR ini dengan kamera tablet');
    const qr = page.getByTestId('pairing-qr');
    expect((await qr.boundingBox())!.width).toBeGreaterThanOrEqual(200);
    const scanned = await qrOf(page);
    const code = (await page.locator('.gate-setup__code').textContent())!.trim();
    expect(new URL(scanned).searchParams.get('code')).toBe(code);
    expect(new URL(scanned).origin).toBe('http://192.168.1.10:4780');
    expect(new URL(scanned).searchParams.get('estate')).toBe(estateId);
    await screenshot(page, 'office-pairing-qr-id');

    // The tablet "scans" it: the address opens the kiosk with the code in place; one tap pairs.
    const tablet = await newPage(browser, { width: 1280, height: 800 });
    const local = new URL(scanned);
    await tablet.page.goto(`${server.url}${local.pathname}${local.search}`);
    await expect.poll(() => tablet.page.getByLabel('Kode pemasangan').inputValue()).toBe(code);
    await tablet.page.getByRole('button', { name: 'Pasangkan' }).click();
    await tablet.page.getByRole('button', { name: 'Gerbang Utama' }).waitFor();

    await page.reload();
    const row = page.locator('.gate-setup__list').nth(2).locator('li').filter({ hasText: 'Tablet pos depan' });
    await waitForText(row, 'Terpasang');
    await row.getByRole('button', { name: 'Cabut' }).click();
    await waitForText(row, 'Dicabut');
    await tablet.page.getByTestId('kiosk-unpaired').waitFor({ timeout: 20_000 });

    await row.getByRole('button', { name: 'Kode & QR baru' }).click();
    const again = await qrOf(page);
    expect(new URL(again).searchParams.get('code')).not.toBe(code);
    const fresh = new URL(again);
    await tablet.page.goto(`${server.url}${fresh.pathname}${fresh.search}`);
    await tablet.page.getByRole('button', { name: 'Pasangkan' }).click();
    await tablet.page.getByRole('button', { name: 'Gerbang Utama' }).waitFor();
    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(tablet.page)).toEqual([]);
    await tablet.context.close();
  });
});

describe('receipt printer settings', () => {
  it('says where to set a printer up, saves one, prints a test page, and names the host:port that does not answer', async () => {
    const unit = await admin.post(`/estates/${estateId}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' });
    const payment = await admin.post(`/estates/${estateId}/payments`, {
      unit_id: unit.body.id,
      amount: 150_000,
      method: 'cash',
      paid_at: '2026-11-21T07:05:00.000Z',
    });
    const page = await office();
    await page.goto(`${server.url}/payments/${payment.body.id}`);
    await page.getByRole('button', { name: 'Cetak struk' }).click();
    await waitForText(page.getByRole('alert'), 'Pengaturan → Printer struk');
    await screenshot(page, 'office-print-not-configured-id');
    await page.getByTestId('printer-settings-link').click();
    await page.waitForURL((url) => url.pathname === '/settings/printer');

    const form = page.getByTestId('printer-form');
    await waitForText(page.getByTestId('printer-current'), 'Belum ada printer struk');
    await form.getByLabel('Port').fill('');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await expect.poll(() => form.locator('.field__error').allTextContents()).toEqual(['Wajib diisi.', 'Wajib diisi.']);

    const closed = await startEscPosListener();
    await closed.close();
    await form.getByLabel('Alamat printer (IP atau nama)').fill('127.0.0.1');
    await form.getByLabel('Port').fill(String(closed.port));
    await form.getByLabel('Lebar kertas').selectOption('80');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(page.getByTestId('printer-current'), `127.0.0.1:${closed.port}, kertas 80 mm`);
    await page.getByRole('button', { name: 'Cetak halaman tes' }).click();
    await waitForText(page.getByRole('alert'), `Printer tidak dapat dihubungi: 127.0.0.1:${closed.port} tidak menjawab dalam 5 detik`);
    await screenshot(page, 'office-printer-unreachable-id');

    await form.getByLabel('Port').fill(String(printer.port));
    await form.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(page.getByTestId('printer-current'), `127.0.0.1:${printer.port}`);
    await page.getByRole('button', { name: 'Cetak halaman tes' }).click();
    await waitForText(page.getByRole('status'), 'Halaman tes terkirim ke printer.');
    const test = decodeEscPos(await printer.nextJob());
    expect(test.lines).toContain('Tes printer Klustera');
    expect(test.lines.join('\n')).toContain('80 mm');
    await screenshot(page, 'office-printer-settings-id');
    expect(pageErrors(page)).toEqual([]);
  });

  it('reads in English', async () => {
    const page = await office('en');
    await page.goto(`${server.url}/settings/printer`);
    await waitForText(page.getByTestId('printer-current'), 'Current printer: 127.0.0.1');
    await waitForText(page.getByRole('button', { name: 'Print a test page' }), 'Print a test page');
    await screenshot(page, 'office-printer-settings-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
