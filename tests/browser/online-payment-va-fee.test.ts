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
 * The bank's fee on a virtual-account transfer, in Chromium: the treasurer (1366×768) has residents bear it and sets
 * BCA's fee; the resident's phone (390×844) shows the bill, the fee and the amount to transfer; that transfer
 * arrives and the bill is paid, no more and no less. Indonesian, then English.
 */
const SECRET_KEY = 'xnd_development_browser_va_fee_key';
const CALLBACK_TOKEN = 'callback-token-browser-va-fee-0123456789';

let server: TestServer;
let browser: Browser;
let fake: FakeXendit;
let admin: ApiClient;
let estateId: string;
let unitId: string;
let treasurer: { email: string; password: string };
let resident: { email: string; password: string };
let warga: Page;

beforeAll(async () => {
  server = await startTestServer();
  fake = await startFakeXendit(SECRET_KEY);
  browser = await launchChromium();
  const e = (p: string) => `/estates/${estateId}${p}`;
  const billed = await billedUnit(
    server.url,
    { code: 'D-7', block: 'D' },
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
  const t = billed.treasurer;
  const saved = await t.client.put(e('/settings/payment-gateway'), {
    provider: 'xendit',
    enabled: true,
    base_url: fake.url,
    methods: ['qris', 'va'],
    va_banks: ['BCA', 'BRI'],
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

describe('the fee on a virtual-account transfer in Chromium', () => {
  it('the treasurer has residents bear it and sets BCA’s fee, in Indonesian and English', async () => {
    const office = await newPage(browser, DESKTOP);
    const desk = office.page;
    await signIn(desk, `${server.url}/login`, treasurer.email, treasurer.password);
    await desk.getByRole('link', { name: 'Pembayaran online' }).click();
    const fees = desk.getByTestId('gateway-va-fees');
    await waitForText(fees, 'Dicatat sebagai pengeluaran kas');
    expect(await desk.getByTestId('gateway-va-fee-BCA').inputValue()).toBe('4000');
    await desk.locator('select[name="fee_bearer"]').selectOption('resident');
    await waitForText(fees, 'Portal meminta warga mentransfer tagihan ditambah biaya ini');
    await desk.getByTestId('gateway-va-fee-BCA').fill('5.550');
    await desk.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(desk.getByTestId('gateway-saved'), 'Pengaturan tersimpan.');
    const saved = await admin.get(`/estates/${estateId}/settings/payment-gateway`);
    expect(saved.body).toMatchObject({ fee_bearer: 'resident', va_fees: { BCA: 5_550, BRI: 4_000 } });
    expect(await desk.getByTestId('gateway-va-fee-BCA').inputValue()).toBe('5550');
    await fees.scrollIntoViewIfNeeded();
    expect(await noHorizontalScroll(desk)).toBe(true);
    await screenshot(desk, 'online-va-fee-01-settings-id');

    // A fee that is not a number is refused next to its bank, and nothing changes.
    await desk.getByTestId('gateway-va-fee-BRI').fill('empat ribu');
    await desk.getByRole('button', { name: 'Simpan' }).click();
    await fees.locator('.field__error, [role="alert"]').first().waitFor();
    expect((await admin.get(`/estates/${estateId}/settings/payment-gateway`)).body.va_fees.BRI).toBe(4_000);
    await desk.getByTestId('gateway-va-fee-BRI').fill('4000');

    await desk.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(fees, 'The portal asks residents to transfer the bill plus this fee');
    await screenshot(desk, 'online-va-fee-02-settings-en');
    expect(pageErrors(desk)).toEqual([]);
    await office.context.close();
  });

  it('the resident’s phone shows the bill, the fee and the amount to transfer; that transfer pays the bill', async () => {
    const phone = await newPage(browser, PHONE);
    warga = phone.page;
    await signIn(warga, `${server.url}/portal/login`, resident.email, resident.password);
    await warga.goto(`${server.url}/portal/bills`);
    const november = warga.getByTestId('my-invoice').filter({ hasText: 'November 2026' });
    await november.getByTestId('bill-pay').click();
    const dialog = warga.getByTestId('pay-online');
    await dialog.getByTestId('pay-method-va').click();
    await dialog.getByTestId('pay-va-bank-BCA').click();
    await dialog.getByTestId('pay-va-number').waitFor();
    await waitForText(dialog.getByTestId('pay-va-due'), 'Rp 300.000');
    await waitForText(dialog.getByTestId('pay-va-fee'), 'Rp 5.550');
    await waitForText(dialog.getByTestId('pay-va-transfer'), 'Rp 305.550');
    await waitForText(dialog.getByTestId('pay-va-hint'), 'ditanggung warga');
    expect(await noHorizontalScroll(warga)).toBe(true);
    await screenshot(warga, 'online-va-fee-03-portal-id');

    // The resident transfers what the portal asked for: both bills are paid, the fee stays with the bank.
    const account = [...fake.virtualAccounts.values()].find((v) => v.virtual_account.channel_code === 'BCA')!;
    const transfer = fake.transferToVa(account.id, 305_550);
    const sent = await fake.sendWebhook(`${server.url}/api/v1/webhooks/xendit`, fake.vaPaymentSucceededBody(transfer), {
      token: CALLBACK_TOKEN,
    });
    expect(sent.status).toBe(200);
    await expect
      .poll(async () => (await server.db.knex('payments').where({ unit_id: unitId })).map((p) => Number(p.amount)), { timeout: 20_000 })
      .toEqual([300_000]);
    await dialog.getByTestId('pay-online-close').click();
    await november.and(warga.locator('[data-status="paid"]')).waitFor({ timeout: 20_000 });
    expect(pageErrors(warga)).toEqual([]);
  });

  it('shows the fee and the amount to transfer in English', async () => {
    const e = (p: string) => `/estates/${estateId}${p}`;
    const charged = await admin.post(e('/charges'), {
      name: 'Iuran IPL',
      amount: 150_000,
      period: '2027-01',
      due_date: '2027-01-20',
      unit_ids: [unitId],
    });
    expect(charged.status, charged.text).toBe(201);
    await warga.reload();
    await warga.getByRole('button', { name: 'EN', exact: true }).click();
    const january = warga.getByTestId('my-invoice').filter({ hasText: 'January 2027' });
    await january.getByTestId('bill-pay').click();
    const dialog = warga.getByTestId('pay-online');
    await dialog.getByTestId('pay-method-va').click();
    await dialog.getByTestId('pay-va-bank-BCA').click();
    await waitForText(dialog.getByTestId('pay-va-due'), 'Rp 150,000');
    await waitForText(dialog.getByTestId('pay-va-fee'), 'Rp 5,550');
    await waitForText(dialog.getByTestId('pay-va-transfer'), 'Rp 155,550');
    await waitForText(dialog, 'Amount to transfer');
    await waitForText(dialog.getByTestId('pay-va-hint'), 'paid by the resident');
    expect(await noHorizontalScroll(warga)).toBe(true);
    await screenshot(warga, 'online-va-fee-04-portal-en');
    expect(pageErrors(warga)).toEqual([]);
  });
});
