import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { largeImportCsv } from '../fixtures/large-import-sheet.ts';
import { setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * A big sheet is written by a background job: the import page shows rows saved of all while it runs, then the
 * summary, in Indonesian and in English, at the office's 1366×768.
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  await setupEstate(server.url);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * On a quiet machine the job may finish before the page first asks; the first answer is held at a running state
 * (rows done as the job reported them, then 1,000), and the page asks again only after the test has seen it.
 */
async function holdFirstProgress(page: Page, rowsDone: number): Promise<() => void> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let calls = 0;
  await page.route('**/imports/units/jobs/**', async (route) => {
    if (++calls > 1) {
      await released;
      return route.continue();
    }
    const response = await route.fetch();
    const job = await response.json();
    await route.fulfill({ response, json: { ...job, status: 'running', rows_done: rowsDone, summary: null } });
  });
  return () => {
    release();
    void page.unroute('**/imports/units/jobs/**');
  };
}

const sheet = (units: number) => ({ name: 'data-warga.csv', mimeType: 'text/csv', buffer: largeImportCsv(units) });

describe('importing a big sheet, 1366×768', () => {
  it('shows rows saved of all while the job writes, then the summary; in English too', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');

    await page.goto(`${server.url}/import`);
    await page.locator('input[type=file]').setInputFiles(sheet(2500));
    await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
    let release = await holdFirstProgress(page, 1000);
    await page.getByRole('button', { name: 'Impor 2.500 unit' }).click();
    await waitForText(page.getByTestId('import-progress'), 'Menyimpan 1.000 dari 2.500 baris…');
    await screenshot(page, 'desktop-import-progress-id');
    release();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    await waitForText(page.getByTestId('import-done'), '2.500 unit baru');
    await screenshot(page, 'desktop-import-done-id');

    // The imported phones read the Indonesian way in the residents list, not as stored (+62…).
    await page.goto(`${server.url}/residents`);
    await waitForText(page.locator('td.table__mono'), /^0812-\d{4}-\d{4}$/);
    expect(await page.locator('tbody').innerText()).not.toContain('+62');
    await screenshot(page, 'desktop-residents-phones-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.goto(`${server.url}/import`);
    await page.locator('input[type=file]').setInputFiles(sheet(3000));
    await page.getByTestId('import-preview').waitFor({ timeout: 60_000 });
    release = await holdFirstProgress(page, 1000);
    // A longer sheet spreads its houses over the blocks differently, so most of its codes are new here.
    await page.getByRole('button', { name: /^Import [\d.,]+ units$/ }).click();
    await waitForText(page.getByTestId('import-progress'), /Saving 1[.,]000 of 3[.,]000 rows…/);
    await screenshot(page, 'desktop-import-progress-en');
    release();
    await page.getByTestId('import-done').waitFor({ timeout: 120_000 });
    await waitForText(page.getByTestId('import-done'), /[\d.,]+ new units, [\d.,]+ updated, [\d.,]+ unchanged\./);
    await screenshot(page, 'desktop-import-done-en');

    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 300_000);
});
