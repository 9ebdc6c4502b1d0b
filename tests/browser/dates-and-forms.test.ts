import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * Periods and dates read as words in the user's language (never "2026-11" or mm/dd), the system's cash account is named
 * in English too, and an empty form says what is missing under every field at once in the app's own words.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  const unit = await admin.post(e('/units'), { code: 'A-1', block: 'A' });
  expect(unit.status).toBe(201);
  expect(
    (await admin.post(e('/fee-types'), { code: 'IPL', name: 'Iuran', amount: 100_000, basis: 'flat', effective_from: '2026-01' })).status,
  ).toBe(201);
  expect((await admin.post(e('/billing-runs'), { period: '2026-11', due_date: '2026-11-30' })).status).toBeLessThan(300);
  // A cash payment with no account chosen lands in the account the system creates, named in Indonesian.
  const paid = await admin.post(e('/payments'), { unit_id: unit.body.id, amount: 40_000, method: 'cash', paid_at: '2026-11-21T05:00:00Z' });
  expect(paid.status).toBe(201);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function checkInvoices(page: Page, lang: 'id' | 'en') {
  await page.goto(`${server.url}/invoices`);
  const row = page.locator('[data-testid="invoices"] tbody tr').first();
  await waitForText(row, 'November 2026');
  await waitForText(row, '30 Nov 2026');
  const table = (await page.getByTestId('invoices').innerText()) ?? '';
  expect(table).not.toContain('2026-11');
  expect(table).not.toMatch(/\b11\/30\/2026\b/);
  await screenshot(page, `desktop-invoices-dates-${lang}`);
}

async function checkEmptyFeeForm(page: Page, lang: 'id' | 'en', required: string, save: string) {
  await page.goto(`${server.url}/fee-types`);
  const form = page.locator('form').filter({ has: page.locator('input[name="code"]') });
  await form.waitFor();
  expect(await form.getAttribute('novalidate')).not.toBeNull();
  let posted = 0;
  page.on('request', (r) => {
    if (r.method() === 'POST' && r.url().endsWith('/fee-types')) posted += 1;
  });
  await form.getByRole('button', { name: save, exact: true }).click();
  // Code, name and amount are empty and required: each says so under itself, all at once.
  for (const name of ['code', 'name', 'amount']) {
    const field = form.locator('.field').filter({ has: page.locator(`[name="${name}"]`) });
    await waitForText(field.locator('.field__error'), required);
    expect(await field.locator(`[name="${name}"]`).getAttribute('aria-invalid')).toBe('true');
  }
  expect(await form.locator('.field__error').count()).toBe(3);
  // The browser's own bubble never showed: constraint validation was not left to it.
  expect(await form.locator('input[name="code"]').evaluate((el) => (el as HTMLInputElement).validationMessage)).not.toBe('');
  expect(posted).toBe(0);
  await screenshot(page, `desktop-fee-form-empty-${lang}`);

  // Typing in a field clears its message; the others stay.
  await form.locator('input[name="code"]').fill('KEBERSIHAN');
  await expect.poll(() => form.locator('.field__error').count()).toBe(2);
  // A server refusal tied to a field shows the reason, without a generic "invalid input" before it.
  await form.locator('input[name="name"]').fill('Kebersihan');
  await form.locator('input[name="amount"]').fill('abc');
  await form.getByRole('button', { name: save, exact: true }).click();
  const amountError = form
    .locator('.field')
    .filter({ has: page.locator('[name="amount"]') })
    .locator('.field__error');
  await amountError.waitFor();
  expect(posted).toBe(1);
  const text = (await amountError.innerText()).trim();
  expect(text).not.toMatch(/^Isian tidak valid\./);
  expect(text).not.toMatch(/^This value is not valid\./);
  expect(text.length).toBeGreaterThan(0);
}

describe('dates, periods and form messages, 1366×768', () => {
  it('reads in Indonesian', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await checkInvoices(page, 'id');
    await checkEmptyFeeForm(page, 'id', 'Wajib diisi.', 'Simpan');
    await page.goto(`${server.url}/cashbook`);
    await waitForText(page.getByTestId('cashbook-accounts'), 'Kas Tunai');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('reads in English', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await checkInvoices(page, 'en');
    await checkEmptyFeeForm(page, 'en', 'This field is required.', 'Save');
    await page.goto(`${server.url}/cashbook`);
    await waitForText(page.getByTestId('cashbook-accounts'), 'Cash on hand');
    expect(await page.getByTestId('cashbook-accounts').innerText()).not.toContain('Kas Tunai');
    await screenshot(page, 'desktop-cashbook-accounts-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
