import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
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
 * The other ways to pay online, in Chromium: the treasurer (1366×768) offers virtual accounts and e-wallets; a
 * resident's phone (390×844) gets the unit's own BCA number with the amount owed and a copy button, and pays November
 * by OVO's push; the bill turns paid on the open page. Indonesian, then English.
 */
const SECRET_KEY = 'xnd_development_browser_va_key';
const CALLBACK_TOKEN = 'callback-token-browser-va-0123456789';

let server: TestServer;
let browser: Browser;
let fake: FakeXendit;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let resident: { email: string; password: string };
/** The resident's phone, kept from the Indonesian walk-through to the English one. */
let warga: Page;

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeXendit(SECRET_KEY);
  browser = await launchChromium();
  const e = (p: string) => `/estates/${estateId}${p}`;
  const billed = await billedUnit(
    server.url,
    { code: 'C-3', block: 'C' },
    {
      amount: 120_000,
      periods: [
        ['2026-11', '2026-11-20'],
        ['2026-12', '2026-12-20'],
      ],
    },
    'Siti Rahma',
  );
  ({ admin, estateId, resident } = billed);
  treasurer = { email: billed.treasurer.email, password: billed.treasurer.password };
  const t = billed.treasurer;
  const saved = await t.client.put(e('/settings/payment-gateway'), {
    provider: 'xendit',
    enabled: true,
    base_url: fake.url,
    methods: ['qris'],
    fee_bearer: 'estate',
    secret_key: SECRET_KEY,
    callback_token: CALLBACK_TOKEN,
  });
  expect(saved.status, saved.text).toBe(200);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await fake?.close();
});

describe('virtual accounts and e-wallets in Chromium', () => {
  it('the treasurer offers them; the resident gets the unit’s BCA number and pays by OVO', async () => {
    const office = await newPage(browser, DESKTOP);
    const desk = office.page;
    await signIn(desk, `${server.url}/login`, treasurer.email, treasurer.password);
    await desk.getByRole('link', { name: 'Pembayaran online' }).click();
    await desk.getByTestId('gateway-method-va').check();
    await desk.getByTestId('gateway-bank-BCA').check();
    await desk.getByTestId('gateway-bank-BRI').check();
    await desk.getByTestId('gateway-method-ewallet').check();
    await desk.getByTestId('gateway-wallet-OVO').check();
    await desk.getByTestId('gateway-wallet-DANA').check();
    await desk.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(desk.getByTestId('gateway-saved'), 'Pengaturan tersimpan.');
    const saved = await admin.get(`/estates/${estateId}/settings/payment-gateway`);
    expect(saved.body).toMatchObject({ methods: ['qris', 'va', 'ewallet'], va_banks: ['BCA', 'BRI'], ewallet_channels: ['OVO', 'DANA'] });
    expect(await noHorizontalScroll(desk)).toBe(true);
    await screenshot(desk, 'online-va-01-settings-id');
    expect(pageErrors(desk)).toEqual([]);
    await office.context.close();

    const phone = await newPage(browser, PHONE);
    warga = phone.page;
    await signIn(warga, `${server.url}/portal/login`, resident.email, resident.password);
    await warga.goto(`${server.url}/portal/bills`);
    const november = warga.getByTestId('my-invoice').filter({ hasText: 'November 2026' });
    await waitForText(november, 'Rp 120.000');
    await november.getByTestId('bill-pay').click();
    const dialog = warga.getByTestId('pay-online');
    await waitForText(dialog.getByTestId('pay-method-va'), 'BCA, BRI');
    await waitForText(dialog.getByTestId('pay-method-ewallet'), 'OVO, DANA');
    await screenshot(warga, 'online-va-02-choose-id');

    await dialog.getByTestId('pay-method-va').click();
    await dialog.getByTestId('pay-va-bank-BCA').click();
    const number = dialog.getByTestId('pay-va-number');
    await number.waitFor();
    const account = [...fake.virtualAccounts.values()][0];
    expect((await number.textContent())!.replace(/\s/g, '')).toBe(account.virtual_account.channel_properties.virtual_account_number);
    await waitForText(dialog.getByTestId('pay-va-due'), 'Rp 240.000');
    await dialog.getByTestId('pay-va-copy').waitFor();
    expect(await noHorizontalScroll(warga)).toBe(true);
    await screenshot(warga, 'online-va-03-number-id');

    await dialog.getByTestId('pay-online-close').click();
    await dialog.getByTestId('pay-method-ewallet').click();
    await dialog.getByTestId('pay-ewallet-OVO').click();
    await dialog.getByTestId('pay-ovo-phone').fill('0812 3456 7890');
    await dialog.getByTestId('pay-ovo-send').click();
    await waitForText(dialog.getByTestId('pay-ovo-approve'), 'Buka aplikasi OVO');
    await screenshot(warga, 'online-va-04-ovo-id');
    const pr = [...fake.paymentRequests.values()].find((p) => p.payment_method.type === 'EWALLET')!;
    expect(pr.payment_method.ewallet!.channel_properties.mobile_number).toBe('+6281234567890');
    fake.pay(pr.id);
    const sent = await fake.sendWebhook(`${server.url}/api/v1/webhooks/xendit`, fake.paymentSucceededBody(pr), { token: CALLBACK_TOKEN });
    expect(sent.status).toBe(200);
    await waitForText(dialog.getByTestId('pay-paid'), 'Tagihan November 2026 sudah lunas. Terima kasih.');
    await dialog.getByTestId('pay-online-close').click();
    await november.and(warga.locator('[data-status="paid"]')).waitFor();
    expect(pageErrors(warga)).toEqual([]);
  });

  it('shows the same choices, the number and OVO’s form in English', async () => {
    const dialog = warga.getByTestId('pay-online');
    await warga.getByRole('button', { name: 'EN', exact: true }).click();
    const december = warga.getByTestId('my-invoice').filter({ hasText: 'December 2026' });
    await december.getByTestId('bill-pay').click();
    await waitForText(dialog.getByTestId('pay-method-va'), 'A fixed account number for your unit');
    await screenshot(warga, 'online-va-05-choose-en');
    await dialog.getByTestId('pay-method-va').click();
    await dialog.getByTestId('pay-va-bank-BCA').click();
    await waitForText(dialog, 'Virtual account number');
    await waitForText(dialog.getByTestId('pay-va-due'), 'Rp 120,000');
    await screenshot(warga, 'online-va-06-number-en');
    await dialog.getByTestId('pay-online-close').click();
    await dialog.getByTestId('pay-method-ewallet').click();
    await dialog.getByTestId('pay-ewallet-OVO').click();
    await screenshot(warga, 'online-va-07-ovo-en');
    expect(pageErrors(warga)).toEqual([]);
  });
});
