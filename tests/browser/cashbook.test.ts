import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Locator, Page } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import {
  DESKTOP,
  launchChromium,
  newPage,
  noHorizontalScroll,
  PHONE,
  pageErrors,
  screenshot,
  signIn,
  waitForText,
} from './support/browser.ts';

/**
 * The treasurer's cash book in Chromium at 1366×768: a category added by its name from the entry form, the running
 * balance after each entry, the in-page warning before money out takes an account below zero, and an opening balance
 * for an account that has none; in Indonesian and English.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };

/** On a phone-sized window the side menu slides out of view (a CSS transition); a picture taken meanwhile shows it halfway. */
const sideMenuSettled = (page: Page) =>
  page.locator('.sidebar').evaluate(async (el) => {
    await Promise.all(el.getAnimations().map((a) => a.finished.catch(() => undefined)));
  });

const selectedText = (select: Locator) => select.evaluate((el: HTMLSelectElement) => el.selectedOptions[0]?.textContent ?? '');

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const cb = (p: string) => `/estates/${estateId}/cashbook${p}`;
  const kas = await admin.post(cb('/accounts'), { name: 'Kas RT', kind: 'cash', opening_balance: 100_000, opening_date: '2026-11-01' });
  expect(kas.status, kas.text).toBe(201);
  expect((await admin.post(cb('/accounts'), { name: 'BRI Paguyuban', kind: 'bank' })).status).toBe(201);
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('cash book in Chromium', () => {
  it('adds a category by name, shows the running balance, and confirms in-page before going below zero', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    let nativeDialogs = 0;
    page.on('dialog', (d) => {
      nativeDialogs += 1;
      void d.dismiss();
    });
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/cashbook`);
    const entries = page.getByTestId('cashbook-entries');
    await waitForText(entries, 'Saldo awal');
    await waitForText(page.getByTestId('running-balance').first(), 'Rp 100.000');

    const form = page.getByTestId('cashbook-entry-form');
    await form.getByLabel('Status').selectOption('out');
    await form.getByLabel('Kategori').selectOption({ label: '+ Kategori baru' });
    const prompt = page.getByTestId('prompt-dialog');
    await prompt.getByLabel('Nama kategori baru').waitFor();
    // Naming a category takes nothing away: a primary button, not a red one.
    expect(await prompt.getAttribute('data-tone')).toBe('primary');
    expect(await prompt.getByTestId('prompt-dialog-confirm').getAttribute('class')).toBe('btn btn--primary');
    await prompt.getByLabel('Nama kategori baru').fill('Lomba 17-an');
    await prompt.getByRole('button', { name: 'Lanjutkan' }).click();
    await expect.poll(() => selectedText(form.getByLabel('Kategori'))).toBe('Lomba 17-an');
    await form.getByLabel('Jumlah (Rp)').fill('30000');
    await form.getByRole('textbox', { name: 'Tanggal' }).fill('10/11/2026');
    await form.getByLabel('Keterangan').fill('Hadiah lomba');
    await form.getByRole('button', { name: 'Simpan' }).click();
    const lomba = entries.locator('tr', { hasText: 'Hadiah lomba' });
    await waitForText(lomba, 'Lomba 17-an');
    await waitForText(lomba.getByTestId('running-balance'), 'Rp 70.000');
    await screenshot(page, 'cashbook-01-category-running-balance-id');

    // 90,000 out of 70,000: the page asks first; cancelling records nothing.
    await form.getByLabel('Kategori').selectOption({ label: 'Perbaikan' });
    await form.getByLabel('Jumlah (Rp)').fill('90000');
    await form.getByLabel('Keterangan').fill('Perbaikan lampu jalan');
    await form.getByRole('button', { name: 'Simpan' }).click();
    const confirm = page.getByTestId('confirm-dialog');
    await waitForText(confirm, 'di bawah nol');
    await waitForText(confirm, 'Rp 90.000');
    await screenshot(page, 'cashbook-02-below-zero-confirm-id');
    // Recording money really spent takes nothing away: a primary button, the focus still on Cancel.
    expect(await confirm.getByTestId('confirm-dialog-confirm').getAttribute('class')).toBe('btn btn--primary');
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe('Batal');
    await confirm.getByRole('button', { name: 'Batal' }).click();
    await confirm.waitFor({ state: 'detached' });
    expect(await entries.locator('tr', { hasText: 'Perbaikan lampu jalan' }).count()).toBe(0);

    // The same question in English and on a phone; Escape answers no.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await form.getByRole('button', { name: 'Save' }).click();
    await waitForText(confirm, 'takes Kas RT below zero');
    expect(await confirm.getByTestId('confirm-dialog-confirm').textContent()).toBe('Record anyway');
    await screenshot(page, 'cashbook-02b-below-zero-confirm-en');
    await page.setViewportSize(PHONE);
    await sideMenuSettled(page);
    await screenshot(page, 'cashbook-02c-below-zero-confirm-en-phone');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await form.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(confirm, 'di bawah nol');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'cashbook-02d-below-zero-confirm-id-phone');
    await page.keyboard.press('Escape');
    await confirm.waitFor({ state: 'detached' });
    await page.setViewportSize(DESKTOP);
    expect(await entries.locator('tr', { hasText: 'Perbaikan lampu jalan' }).count()).toBe(0);

    await form.getByRole('button', { name: 'Simpan' }).click();
    await confirm.getByRole('button', { name: 'Tetap catat' }).click();
    const repair = entries.locator('tr', { hasText: 'Perbaikan lampu jalan' });
    await waitForText(repair.getByTestId('running-balance'), '20.000');
    expect(await repair.getByTestId('running-balance').innerText()).toMatch(/^-\s?Rp\s?20\.000$/);

    // The bank account has no opening balance yet: record it here, once.
    const opening = page.getByTestId('cashbook-opening');
    await opening.getByLabel('Jumlah saldo awal (Rp)').fill('2500000');
    await opening.getByRole('textbox', { name: 'Per tanggal' }).fill('01/11/2026');
    await opening.getByRole('button', { name: 'Catat saldo awal' }).click();
    await waitForText(opening, 'Saldo awal sudah dicatat untuk semua akun.');
    await waitForText(entries.locator('tr', { hasText: 'Saldo awal BRI Paguyuban' }).getByTestId('running-balance'), 'Rp 2.500.000');
    await screenshot(page, 'cashbook-03-opening-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(entries.locator('th'), 'Balance');
    await waitForText(entries.locator('tr', { hasText: 'Perbaikan lampu jalan' }), 'Repairs');
    await waitForText(entries.locator('tr', { hasText: 'Hadiah lomba' }), 'Lomba 17-an');
    expect(await form.getByLabel('Category').locator('option').last().textContent()).toBe('+ New category');
    await screenshot(page, 'cashbook-04-en');

    // The monthly report lists the month's transactions with categories in words.
    await page.goto(`${server.url}/reports?period=2026-11`);
    const month = page.getByTestId('monthly-transactions');
    await waitForText(month.locator('tr', { hasText: 'Perbaikan lampu jalan' }), 'Repairs');
    await waitForText(month.locator('tr', { hasText: 'Hadiah lomba' }), 'Lomba 17-an');
    await waitForText(page.getByTestId('monthly-report'), 'Lomba 17-an');
    await screenshot(page, 'cashbook-05-monthly-report-en');

    const list = await admin.get(`/estates/${estateId}/cashbook/entries`);
    expect(list.body.items.map((e: { category: string; amount: number }) => [e.category, e.amount])).toEqual([
      ['repairs', 90_000],
      ['lomba_17_an', 30_000],
      ['opening_balance', 2_500_000],
      ['opening_balance', 100_000],
    ]);
    expect(nativeDialogs).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it("renames and retires the estate's own category in the cash-book settings; old entries keep its name", async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/cashbook`);
    const card = page.getByTestId('cashbook-categories');
    const row = card.locator('tr', { hasText: 'Lomba 17-an' });
    await waitForText(card, 'Kategori buku kas');
    expect(await card.locator('tr').count()).toBe(1);
    await row.getByRole('button', { name: 'Ganti nama' }).click();
    const prompt = page.getByTestId('prompt-dialog');
    await prompt.getByLabel('Nama baru untuk "Lomba 17-an"').fill('Lomba Agustusan');
    await prompt.getByRole('button', { name: 'Lanjutkan' }).click();
    const renamed = card.locator('tr', { hasText: 'Lomba Agustusan' });
    await waitForText(renamed, 'Keluar');
    const entries = page.getByTestId('cashbook-entries');
    await waitForText(entries.locator('tr', { hasText: 'Hadiah lomba' }), 'Lomba Agustusan');

    await renamed.getByRole('button', { name: 'Hentikan' }).click();
    await waitForText(renamed, 'Dihentikan');
    await waitForText(entries.locator('tr', { hasText: 'Hadiah lomba' }), 'Lomba Agustusan');
    const form = page.getByTestId('cashbook-entry-form');
    await form.getByLabel('Status').selectOption('out');
    const offered = await form.getByLabel('Kategori').locator('option').allTextContents();
    expect(offered).not.toContain('Lomba Agustusan');
    expect(offered).toContain('Perbaikan');
    await screenshot(page, 'cashbook-06-categories-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(card, 'Cash-book categories');
    await waitForText(renamed, 'Retired');
    await renamed.getByRole('button', { name: 'Use again' }).click();
    await renamed.getByRole('button', { name: 'Retire' }).waitFor();
    await expect.poll(() => form.getByLabel('Category').locator('option').allTextContents()).toContain('Lomba Agustusan');
    await screenshot(page, 'cashbook-07-categories-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
