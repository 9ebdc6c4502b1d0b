import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * In English mode the server's reason for refusing a field reads in English next to its input: the renderer sends the
 * UI language with every request (the browser itself, set to id-ID here, would ask for Indonesian).
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let unitId: string;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  let estateId: string;
  ({ client: admin, estateId } = await setupEstate(server.url));
  const unit = await admin.post(`/estates/${estateId}/units`, { code: 'A-1', block: 'A' });
  expect(unit.status).toBe(201);
  unitId = unit.body.id;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const fieldOf = (page: Page, name: string) => page.locator('.field', { has: page.locator(`[name="${name}"]`) });

describe("server field errors in the UI's language, 1366×768", () => {
  it('shows the reason in Indonesian, then in English after switching', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');

    await page.goto(`${server.url}/units/${unitId}/edit`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Ubah unit A-1');
    await page.getByLabel('Luas tanah (m²)').fill('-5');
    await page.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(fieldOf(page, 'land_area_m2').locator('.field__error'), 'Tidak boleh negatif.');
    await screenshot(page, 'desktop-server-field-error-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await page.goto(`${server.url}/units/${unitId}/edit`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Edit unit A-1');
    await page.getByLabel('Land area (m²)').fill('-5');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const land = fieldOf(page, 'land_area_m2').locator('.field__error');
    await waitForText(land, 'Must not be negative.');
    expect(await land.innerText()).not.toContain('negatif');
    expect(await land.getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await page.getByLabel('Land area (m²)').getAttribute('aria-invalid')).toBe('true');
    await screenshot(page, 'desktop-server-field-error-en');

    // A refusal with a value in it (a unit code already taken) sits under the code, in English too.
    await page.goto(`${server.url}/units/new`);
    await page.getByLabel(/^Unit code/).fill('A-1');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    const code = fieldOf(page, 'code').locator('.field__error');
    await waitForText(code, 'Unit A-1 already exists.');
    expect(await code.innerText()).not.toContain('sudah ada');
    await screenshot(page, 'desktop-server-field-conflict-en');

    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
