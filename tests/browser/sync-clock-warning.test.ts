import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';
import { syncStatusAnswer } from './support/sync-status.ts';

/**
 * An office computer whose date is years off the hosted instance's: the Sinkronisasi page says so in days, and that the
 * order of changes may come out wrong, in Indonesian and English (a few minutes off keeps the milder warning). The
 * status answers are the server's shape (tests/api/sync-clock-cap.test.ts shows the server filling them).
 */
const YEARS_MS = 4 * 365 * 24 * 60 * 60 * 1000;
let desktop: TestServer;
let browser: Browser;
let estateId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-sync-clock-'));

beforeAll(async () => {
  desktop = await startTestServer({ dataDir });
  estateId = (await setupEstate(desktop.url)).estateId;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desktop?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

function status(skew: number, farOff: boolean) {
  return syncStatusAnswer({ clock_skew_ms: skew, clock_warning: 'server text', clock_far_off: farOff });
}

describe('the clock warning on the Sinkronisasi page', () => {
  it('says in days that the order of changes may come out wrong when the clocks are years apart', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
    let answer = status(-YEARS_MS, true);
    await page.route(`**/api/v1/estates/${estateId}/sync`, (route) => route.fulfill({ json: answer }));
    await page.goto(`${desktop.url}/settings/sync`);
    const warning = page.getByTestId('sync-clock-warning');
    await waitForText(warning, 'Jam komputer ini berbeda sekitar 1460 hari dengan server awan');
    expect(await warning.textContent()).toContain('Urutan perubahan antara komputer ini dan server awan bisa keliru');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-clock-01-id');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(warning, "This computer's clock is about 1460 days off the hosted instance");
    await screenshot(page, 'sync-clock-02-en');

    answer = status(5 * 60_000, false);
    await page.reload();
    await waitForText(page.getByTestId('sync-clock-warning'), 'about 5 minutes off');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
