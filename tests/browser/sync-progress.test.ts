import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';
import { syncStatusAnswer } from './support/sync-status.ts';

/**
 * A large first upload on the Sinkronisasi page: while a cycle runs, the page asks for the status every second and
 * shows the rows sent of those waiting as a bar and a plain sentence, in Indonesian and English. The status answers
 * are the server's shape, played in order (the API test in tests/api/sync-batches.test.ts shows the server filling
 * them during a real cycle).
 */
let desktop: TestServer;
let browser: Browser;
let estateId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-sync-progress-'));

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

function status(progress: { sent: number; total: number } | null, lastSync: string | null) {
  return syncStatusAnswer({ last_sync_at: lastSync, waiting: progress ? progress.total - progress.sent : 0, progress });
}

describe('the progress of a large first upload on the Sinkronisasi page', () => {
  it('shows rows sent of those waiting as a bar and a sentence while the cycle runs, then the finished state', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
    const answers = [
      status({ sent: 1200, total: 10000 }, null),
      status({ sent: 1200, total: 10000 }, null),
      status({ sent: 6500, total: 10000 }, null),
      status({ sent: 6500, total: 10000 }, null),
    ];
    let asked = 0;
    await page.route(`**/api/v1/estates/${estateId}/sync`, (route) =>
      route.fulfill({ json: answers[asked++] ?? status(null, '2026-11-30T05:00:00.000Z') }),
    );
    await page.goto(`${desktop.url}/settings/sync`);
    const bar = page.getByTestId('sync-progress');
    await waitForText(bar, 'Mengunggah 1.200 dari 10.000 perubahan');
    expect(await bar.getByRole('progressbar').getAttribute('aria-valuenow')).toBe('1200');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-progress-01-id');

    // Asked again a second later, without a click.
    await waitForText(bar, 'Mengunggah 6.500 dari 10.000 perubahan');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(bar, 'Uploading 6,500 of 10,000 changes');
    expect(await bar.getByRole('progressbar').getAttribute('aria-label')).toBe('Upload progress');
    await screenshot(page, 'sync-progress-02-en');

    // The cycle ends: the bar goes and the page stops asking.
    await waitForText(page.getByTestId('sync-waiting'), 'None, everything has been sent');
    expect(await bar.count()).toBe(0);
    const settled = asked;
    await page.waitForTimeout(2500);
    expect(asked).toBe(settled);
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 60_000);
});
