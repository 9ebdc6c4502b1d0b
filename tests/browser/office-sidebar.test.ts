import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/** The office sidebar marks the one item a page belongs to, also on pages under another item's address. */
let server: TestServer;
let browser: Browser;
let unitId: string;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  const { client, estateId } = await setupEstate(server.url);
  unitId = (await client.post(`/estates/${estateId}/units`, { code: 'A-1' })).body.id;
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const activeItems = (page: Page) => page.locator('.sidebar a[aria-current="page"]').allTextContents();

async function openAndReadActive(page: Page, path: string, heading: string | RegExp): Promise<string[]> {
  await page.goto(`${server.url}${path}`);
  await waitForText(page.getByRole('heading', { level: 1 }), heading);
  // The highlighted look goes with aria-current: the two never disagree.
  expect(await page.locator('.sidebar .sidebar__link--active').count()).toBe(await page.locator('.sidebar a[aria-current="page"]').count());
  // The settings items sit below the fold of a 768 px sidebar; bring the marked one into the screenshots.
  await page.locator('.sidebar a[aria-current="page"]').first().scrollIntoViewIfNeeded();
  return (await activeItems(page)).map((t) => t.trim());
}

describe('the office sidebar at 1366×768', () => {
  it('marks exactly one item on Pengaturan and each settings page under it, in Indonesian and English', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);

    expect(await openAndReadActive(page, '/settings', 'Pengaturan')).toEqual(['Pengaturan']);
    expect(await openAndReadActive(page, '/settings/sync', 'Sinkronisasi')).toEqual(['Sinkronisasi']);
    await screenshot(page, 'office-sidebar-sync-id');
    expect(await openAndReadActive(page, '/settings/printer', /Printer/)).toEqual(['Printer struk']);
    await screenshot(page, 'office-sidebar-printer-id');
    // A page deeper under an item still marks that item.
    await page.goto(`${server.url}/units/${unitId}/account`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'A-1');
    expect((await activeItems(page)).map((t) => t.trim())).toEqual(['Unit rumah']);

    await page.goto(`${server.url}/settings/sync`);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Sync');
    expect((await activeItems(page)).map((t) => t.trim())).toEqual(['Sync']);
    expect(await openAndReadActive(page, '/settings/printer', /printer/i)).toEqual(['Receipt printer']);
    expect(await openAndReadActive(page, '/settings', 'Settings')).toEqual(['Settings']);
    await screenshot(page, 'office-sidebar-settings-en');

    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
