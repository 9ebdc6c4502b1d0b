import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, type ApiClient, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, screenshot, waitForPath, waitForText } from './support/browser.ts';

/**
 * Dates follow the app's language, not the browser's: in a Chromium whose locale is en-US (where a native date input
 * reads mm/dd/yyyy) the billing page's due date shows and takes dd/mm/yyyy or "16 Des 2026", and sends ISO days.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  ({ client: admin, estateId } = await setupEstate(server.url));
  expect((await admin.post(`/estates/${estateId}/units`, { code: 'A-1', block: 'A' })).status).toBe(201);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const SHORT_ID = ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'];

describe('date fields in Chromium with locale en-US', () => {
  it('show and accept day-first dates and send ISO days', async () => {
    const cal = (await admin.get(`/estates/${estateId}/calendar`)).body as { period: string };
    const [year, month] = cal.period.split('-').map(Number);
    const next = month === 12 ? { y: year + 1, m: 1 } : { y: year, m: month + 1 };
    const mm = String(next.m).padStart(2, '0');
    expect(
      (
        await admin.post(`/estates/${estateId}/fee-types`, {
          code: 'IPL',
          name: 'IPL',
          amount: 100_000,
          basis: 'flat',
          effective_from: cal.period,
        })
      ).status,
    ).toBe(201);

    const context = await browser.newContext({ viewport: DESKTOP, locale: 'en-US', timezoneId: 'America/New_York' });
    const page = await context.newPage();
    expect(await page.evaluate(() => navigator.language)).toBe('en-US');
    await page.goto(`${server.url}/login`);
    await page.getByLabel('Email atau nomor HP').fill('ketua@griya-asri.id');
    await page.getByLabel('Kata sandi', { exact: true }).fill('rahasia-ketua-1');
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await waitForText(page.getByTestId('estate-name'), 'Perumahan');
    await page.goto(`${server.url}/billing`);
    await waitForPath(page, '/billing');

    const due = page.locator('input[name="due_date"]');
    expect(await due.getAttribute('type')).toBe('text');
    expect(await due.getAttribute('placeholder')).toBe('hh/bb/tttt');
    // No native date input is visible anywhere on the page (the pickers' inputs are hidden).
    expect(await page.locator('input[type="date"]:visible').count()).toBe(0);

    // The server's proposal comes back as an ISO day and is shown day first.
    await page.locator('input[name="period"]').fill(cal.period);
    const proposal = page.waitForResponse((r) => r.url().includes('/billing-runs') && r.request().method() === 'POST');
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    const proposed = (await (await proposal).json()).due_date as string;
    const [py, pm, pd] = proposed.split('-');
    await expect.poll(() => due.inputValue()).toBe(`${pd}/${pm}/${py}`);

    // Typed day first, it goes to the server as an ISO day.
    await due.fill(`15/${mm}/${next.y}`);
    expect(await due.getAttribute('data-iso')).toBe(`${next.y}-${mm}-15`);
    let sent = page.waitForRequest((r) => r.url().includes('/billing-runs') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    expect((await sent).postDataJSON()).toMatchObject({ due_date: `${next.y}-${mm}-15`, dry_run: true });

    // Month names work too, and the field settles on dd/mm/yyyy once left.
    await due.fill(`16 ${SHORT_ID[next.m - 1]} ${next.y}`);
    await due.blur();
    expect(await due.inputValue()).toBe(`16/${mm}/${next.y}`);
    sent = page.waitForRequest((r) => r.url().includes('/billing-runs') && r.method() === 'POST');
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    expect((await sent).postDataJSON()).toMatchObject({ due_date: `${next.y}-${mm}-16` });

    // A month-first date is not silently swapped: 31/12 is read as the 31st, 12/31 is refused.
    await due.fill(`12/31/${next.y}`);
    expect(await due.getAttribute('data-iso')).toBe('');
    expect(await due.getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'date-field-en-us-id');

    // In English the field still reads day first.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await expect.poll(() => due.getAttribute('placeholder')).toBe('dd/mm/yyyy');
    await due.fill(`03/04/${next.y + 1}`);
    await due.blur();
    expect(await due.inputValue()).toBe(`03/04/${next.y + 1}`);
    expect(await due.getAttribute('data-iso')).toBe(`${next.y + 1}-04-03`);
    await screenshot(page, 'date-field-en-us-en');
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await context.close();
  });
});
