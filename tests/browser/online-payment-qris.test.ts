import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startFakeXendit, type FakeXendit } from '../support/fake-xendit.ts';
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
 * Paying a bill by QRIS end to end in Chromium: the treasurer (1366×768) points the gateway at a local fake Xendit and
 * tests the connection; a resident's phone (390×844) pays the November bill by QRIS; the fake gateway confirms and
 * calls back; the bill turns paid on the open page, the receipt downloads, and the treasurer's dashboard counts it.
 */
const SECRET_KEY = 'xnd_development_browser_qris_key';
const CALLBACK_TOKEN = 'callback-token-browser-qris-0123456789';

let server: TestServer;
let browser: Browser;
let fake: FakeXendit;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let resident: { email: string; password: string };
let unitId: string;

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeXendit(SECRET_KEY);
  browser = await launchChromium();
  const billed = await billedUnit(
    server.url,
    { code: 'B-7', block: 'B' },
    {
      amount: 150_000,
      periods: [
        ['2026-11', '2026-11-20'],
        ['2026-12', '2026-12-20'],
      ],
    },
    'Budi Santoso',
  );
  ({ admin, estateId, resident } = billed);
  unitId = billed.unitId;
  treasurer = { email: billed.treasurer.email, password: billed.treasurer.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

describe('paying a bill by QRIS in Chromium', () => {
  it('the treasurer connects the gateway, the resident pays by QRIS, the bill turns paid and the dashboard counts it', async () => {
    // The treasurer sets the gateway up under Pengaturan and tests it.
    const office = await newPage(browser, DESKTOP);
    const desk = office.page;
    await signIn(desk, `${server.url}/login`, treasurer.email, treasurer.password);
    await desk.getByRole('link', { name: 'Pembayaran online' }).click();
    await waitForText(desk.getByRole('heading', { level: 1 }), 'Pembayaran online');
    await waitForText(desk.getByTestId('secret-key-state'), 'belum diisi');
    await waitForText(desk.getByTestId('online-charges-empty'), 'Belum ada tagihan online.');
    await desk.getByLabel('Alamat API').fill(fake.url);
    await desk.getByLabel('Secret key', { exact: true }).fill(SECRET_KEY);
    await desk.getByLabel('Callback token', { exact: true }).fill(CALLBACK_TOKEN);
    await desk.getByLabel('Aktifkan pembayaran online').check();
    await desk.getByLabel('Biaya gateway ditanggung').selectOption({ label: 'Kas perumahan' });
    await desk.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(desk.getByTestId('gateway-saved'), 'Pengaturan tersimpan.');
    await waitForText(desk.getByTestId('secret-key-state'), 'tersimpan');
    await waitForText(desk.getByTestId('callback-token-state'), 'tersimpan');
    // Write-only: the saved key is not put back into the page.
    expect(await desk.locator('input[name="secret_key"]').inputValue()).toBe('');
    expect(await desk.content()).not.toContain(SECRET_KEY);
    await desk.getByRole('button', { name: 'Tes koneksi' }).click();
    await waitForText(desk.getByTestId('gateway-test-result'), 'Terhubung. Xendit menerima secret key ini.');
    expect(fake.calls('GET', /^\/balance/).length).toBeGreaterThan(0);
    expect(await noHorizontalScroll(desk)).toBe(true);
    await screenshot(desk, 'online-payment-01-settings-id');

    // A key the gateway refuses is said in plain words.
    fake.down = true;
    await desk.getByRole('button', { name: 'Tes koneksi' }).click();
    await waitForText(desk.getByTestId('gateway-test-result'), 'Belum terhubung: Xendit tidak bisa dihubungi.');
    fake.down = false;

    // The resident opens the bills on a phone and pays November by QRIS.
    const phone = await newPage(browser, PHONE);
    const warga = phone.page;
    await signIn(warga, `${server.url}/portal/login`, resident.email, resident.password);
    await warga.goto(`${server.url}/portal/bills`);
    const november = warga.getByTestId('my-invoice').filter({ hasText: 'November 2026' });
    await waitForText(november, 'Rp 150.000');
    expect(await november.getAttribute('data-status')).toBe('unpaid');
    // Marks this document: a reload would lose it.
    await warga.evaluate(() => ((window as unknown as { stillSamePage: boolean }).stillSamePage = true));
    await november.getByTestId('bill-pay').click();
    const dialog = warga.getByTestId('pay-online');
    await waitForText(dialog, 'Bayar tagihan November 2026');
    await screenshot(warga, 'online-payment-02-choose-id');
    await dialog.getByTestId('pay-method-qris').click();
    await dialog.getByTestId('pay-qr-image').waitFor();
    expect(await dialog.getByTestId('pay-qr-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 200)).toBe(true);
    await waitForText(dialog.getByTestId('pay-qr-amount'), 'Rp 150.000');
    await waitForText(dialog.getByTestId('pay-qr-countdown'), /^Berlaku (2\d|30):\d\d lagi$/);
    expect(await noHorizontalScroll(warga)).toBe(true);
    await screenshot(warga, 'online-payment-03-qr-id');

    // The QR drawn is the gateway's QR string for exactly this bill.
    const requests = [...fake.paymentRequests.values()];
    expect(requests).toHaveLength(1);
    const pr = requests[0];
    expect(pr.amount).toBe(150_000);

    // The resident scans and pays; the gateway calls back.
    fake.pay(pr.id);
    const sent = await fake.sendWebhook(`${server.url}/api/v1/webhooks/xendit`, fake.paymentSucceededBody(pr), {
      token: CALLBACK_TOKEN,
      webhookId: `wh-${pr.id}`,
    });
    expect(sent.status).toBe(200);

    await waitForText(dialog.getByTestId('pay-paid'), 'Tagihan November 2026 sudah lunas. Terima kasih.');
    await waitForText(dialog, 'Pembayaran diterima');
    await screenshot(warga, 'online-payment-04-paid-id');
    const download = warga.waitForEvent('download');
    await dialog.getByTestId('pay-receipt').click();
    const pdf = await download;
    const receiptPath = await pdf.path();
    const { readFileSync } = await import('node:fs');
    expect(readFileSync(receiptPath).subarray(0, 5).toString()).toBe('%PDF-');

    await dialog.getByTestId('pay-online-close').click();
    await dialog.waitFor({ state: 'detached' });
    await november.and(warga.locator('[data-status="paid"]')).waitFor();
    await waitForText(november, 'Lunas');
    await november.getByTestId('bill-receipt').waitFor();
    expect(await warga.evaluate(() => (window as unknown as { stillSamePage?: boolean }).stillSamePage)).toBe(true);
    await screenshot(warga, 'online-payment-05-bills-id');

    // The same screens in English, on December's bill.
    await warga.getByRole('button', { name: 'EN', exact: true }).click();
    const december = warga.getByTestId('my-invoice').filter({ hasText: 'December 2026' });
    await december.getByTestId('bill-pay').click();
    await waitForText(dialog, 'Pay the December 2026 bill');
    await screenshot(warga, 'online-payment-06-choose-en');
    await dialog.getByTestId('pay-method-qris').click();
    await waitForText(dialog.getByTestId('pay-qr-countdown'), /^Valid for \d\d:\d\d more$/);
    await dialog.getByTestId('pay-qr-image').waitFor();
    await screenshot(warga, 'online-payment-07-qr-en');
    await dialog.getByTestId('pay-online-close').click();
    expect(pageErrors(warga)).toEqual([]);
    await phone.context.close();

    // December is paid in cash at the office before the QRIS payment arrives: the late payment becomes credit.
    const cash = await admin.post(`/estates/${estateId}/payments`, {
      unit_id: unitId,
      amount: 150_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(cash.status, cash.text).toBe(201);
    const late = [...fake.paymentRequests.values()].find((p) => p.id !== pr.id)!;
    fake.pay(late.id);
    const lateSent = await fake.sendWebhook(`${server.url}/api/v1/webhooks/xendit`, fake.paymentSucceededBody(late), {
      token: CALLBACK_TOKEN,
      webhookId: `wh-${late.id}`,
    });
    expect(lateSent.status).toBe(200);

    // The treasurer's dashboard counts it, and the charges list shows it paid.
    await desk.goto(`${server.url}/`);
    // November's QRIS payment is collected; both QRIS payments (December's became credit) sit in the gateway balance,
    // less the estate-borne QRIS fee of each (0.7% of Rp 150.000 = Rp 1.050), booked as an expense out of it.
    await waitForText(desk.getByTestId('stat-collection'), 'Rp 150.000 dari Rp 150.000');
    await waitForText(desk.locator('tr').filter({ hasText: 'Saldo Xendit' }), 'Rp 297.900');
    await screenshot(desk, 'online-payment-08-dashboard-id');
    await desk.getByRole('link', { name: 'Pembayaran online' }).click();
    const paidRow = desk.getByTestId('online-charge-row').filter({ hasText: 'Lunas' });
    await waitForText(paidRow, 'B-7');
    await waitForText(paidRow, 'Rp 150.000');
    await waitForText(
      desk.getByTestId('ledger-notices'),
      /Unit B-7: pembayaran PAY\d+ sebesar Rp\s150\.000 menjadi saldo titipan karena tagihan INV\/2026\/12\/\d+ sudah lunas\./,
    );
    await screenshot(desk, 'online-payment-09-charges-notices-id');

    // The late December payment is sent back from the office: whole, with a reason, through Xendit.
    const lateRow = desk.getByTestId('online-charge-row').first();
    await lateRow.getByTestId('online-charge-refund').click();
    const refundForm = desk.getByTestId('online-refund-form');
    await waitForText(refundForm, 'Kembalikan dana ke warga — B-7');
    await waitForText(refundForm, 'Dibayar Rp 150.000 lewat QRIS');
    await refundForm.getByLabel('Alasan').fill('Sudah dibayar tunai');
    await screenshot(desk, 'online-payment-09b-refund-form-id');
    await refundForm.getByRole('button', { name: 'Kembalikan seluruhnya' }).click();
    await waitForText(desk.getByTestId('online-refund-done'), 'Dana Rp 150.000 dikembalikan. Pembayaran dibatalkan: Sudah dibayar tunai.');
    await waitForText(lateRow, 'Dikembalikan Rp 150.000');
    expect(await lateRow.getByTestId('online-charge-refund').count()).toBe(0);
    expect([...fake.refunds.values()].map((r) => r.amount)).toEqual([150_000]);
    await screenshot(desk, 'online-payment-09c-refunded-id');
    await desk.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(desk.getByRole('heading', { level: 1 }), 'Online payments');
    await waitForText(desk.getByTestId('online-charge-row').filter({ hasText: 'Paid' }), 'B-7');
    await waitForText(desk.getByTestId('online-charge-row').first(), 'Refunded Rp 150,000');
    await waitForText(desk.getByTestId('secret-key-state'), 'saved');
    await screenshot(desk, 'online-payment-10-settings-en');
    expect(pageErrors(desk)).toEqual([]);
    await office.context.close();
  }, 120_000);
});
