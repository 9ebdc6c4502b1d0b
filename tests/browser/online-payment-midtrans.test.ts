import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { midtransOrderId } from '../../server/ledger/online/midtrans-gateway.ts';
import { startFakeMidtrans, type FakeMidtrans } from '../support/fake-midtrans.ts';
import { startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { billedUnit } from './support/billed-unit.ts';
import {
  DESKTOP,
  PHONE,
  launchChromium,
  newPage,
  noHorizontalScroll,
  pageErrors,
  screenshot,
  signIn,
  waitForText,
} from './support/browser.ts';

/**
 * Midtrans in Chromium: the treasurer (1366×768) chooses Midtrans under Pengaturan → Pembayaran online, where the form
 * asks for the server key and Snap's address and no callback token, and tests the key against a local fake Midtrans;
 * a resident's phone (390×844) presses "Bayar", gets the link to Snap's page (served by the fake, no Snap.js from the
 * internet), and the bill turns paid on the open dialog once Midtrans notifies.
 */
const SERVER_KEY = 'SB-Mid-server-browser-klustera-key';

let server: TestServer;
let browser: Browser;
let fake: FakeMidtrans;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let resident: { email: string; password: string };

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeMidtrans(SERVER_KEY);
  browser = await launchChromium();
  const billed = await billedUnit(
    server.url,
    { code: 'C-3', block: 'C' },
    { amount: 175_000, periods: [['2026-11', '2026-11-20']] },
    'Sari Wulandari',
  );
  ({ admin, estateId, resident } = billed);
  treasurer = { email: billed.treasurer.email, password: billed.treasurer.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

describe('paying a bill through Midtrans in Chromium', () => {
  it('the treasurer chooses Midtrans, the resident pays on Snap, the bill turns paid', async () => {
    const office = await newPage(browser, DESKTOP);
    const desk = office.page;
    await signIn(desk, `${server.url}/login`, treasurer.email, treasurer.password);
    await desk.getByRole('link', { name: 'Pembayaran online' }).click();
    await waitForText(desk.getByRole('heading', { level: 1 }), 'Pembayaran online');
    await desk.getByLabel('Penyedia').selectOption('midtrans');
    // Midtrans's form: server key and Snap's address; no callback token, the signature note instead.
    await desk.getByLabel('Alamat Snap').waitFor();
    expect(await desk.getByLabel('Callback token', { exact: true }).count()).toBe(0);
    await waitForText(desk.getByTestId('midtrans-signature-note'), '/api/v1/webhooks/midtrans');
    await desk.getByLabel('Alamat API').fill(fake.url);
    await desk.getByLabel('Alamat Snap').fill(fake.url);
    await desk.getByLabel('Server key', { exact: true }).fill(SERVER_KEY);
    await desk.getByLabel('Aktifkan pembayaran online').check();
    await desk.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(desk.getByTestId('gateway-saved'), 'Pengaturan tersimpan.');
    await waitForText(desk.getByTestId('secret-key-state'), 'tersimpan');
    expect(await desk.content()).not.toContain(SERVER_KEY);
    await desk.getByRole('button', { name: 'Tes koneksi' }).click();
    await waitForText(desk.getByTestId('gateway-test-result'), 'Terhubung. Midtrans menerima server key ini.');
    expect(await noHorizontalScroll(desk)).toBe(true);
    await screenshot(desk, 'midtrans-01-settings-id');

    const phone = await newPage(browser, PHONE);
    const warga = phone.page;
    await signIn(warga, `${server.url}/portal/login`, resident.email, resident.password);
    await warga.goto(`${server.url}/portal/bills`);
    const november = warga.getByTestId('my-invoice').filter({ hasText: 'November 2026' });
    await waitForText(november, 'Rp 175.000');
    await november.getByTestId('bill-pay').click();
    const dialog = warga.getByTestId('pay-online');
    await dialog.getByTestId('pay-method-qris').click();
    await waitForText(dialog.getByTestId('pay-checkout'), 'Bayar di halaman Midtrans');
    await waitForText(dialog.getByTestId('pay-checkout-amount'), 'Rp 175.000');
    const order = [...fake.orders.values()][0];
    expect(await dialog.getByTestId('pay-checkout-link').getAttribute('href')).toBe(`${fake.url}/snap/v4/redirection/${order.token}`);
    expect(await noHorizontalScroll(warga)).toBe(true);
    await screenshot(warga, 'midtrans-02-checkout-id');

    // Snap's page opens beside the portal, which keeps watching the charge.
    const [snap] = await Promise.all([warga.waitForEvent('popup'), dialog.getByTestId('pay-checkout-link').click()]);
    await waitForText(snap.locator('h1'), 'Bayar Rp 175000');
    await snap.close();

    const charge = (await server.db.knex('online_charges').where({ estate_id: estateId }).first()) as { reference: string };
    expect(midtransOrderId(charge.reference)).toBe(order.order_id);
    fake.settle(order.order_id);
    expect((await fake.notify(`${server.url}/api/v1/webhooks/midtrans`, fake.notificationBody(order.order_id))).status).toBe(200);
    await waitForText(dialog.getByTestId('pay-paid'), 'Tagihan November 2026 sudah lunas. Terima kasih.');
    await screenshot(warga, 'midtrans-03-paid-id');
    expect(pageErrors(warga)).toEqual([]);
    await phone.context.close();

    await desk.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(desk.getByRole('heading', { level: 1 }), 'Online payments');
    await desk.getByLabel('Snap address').waitFor();
    await waitForText(desk.getByTestId('secret-key-state'), 'saved');
    await screenshot(desk, 'midtrans-04-settings-en');
    expect(pageErrors(desk)).toEqual([]);
    await office.context.close();
  }, 120_000);
});
