import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../server/backups/service.ts';
import { ADMIN, setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * Restoring from the backups page at 1366×768: a listed backup is checked and shown beside today's books with what
 * would be lost, cancelled without a trace; then, in English, confirmed by typing the estate's name, after which the
 * office signs in again and the dashboard says which backup the books came from.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let dataDir: string;

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));
const stagedFolders = () => {
  const dir = path.join(dataDir, 'restore-staging');
  return fs.existsSync(dir) ? fs.readdirSync(dir) : [];
};

async function unitWithPayment(code: string, amount: number) {
  const e = (p: string) => `/estates/${estateId}${p}`;
  const calendar = (await admin.get(e('/calendar'))).body;
  const unit = await admin.post(e('/units'), { code, type: 'rumah', occupancy: 'occupied' });
  await admin.post(e('/charges'), {
    name: `Iuran ${code}`,
    amount,
    period: calendar.period,
    due_date: calendar.today,
    unit_ids: [unit.body.id],
  });
  const paid = await admin.post(e('/payments'), { unit_id: unit.body.id, amount, method: 'cash', paid_at: calendar.now });
  expect(paid.status, paid.text).toBe(201);
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-test-'));
  server = await startTestServer({ dataDir });
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  await unitWithPayment('A-01', 150_000);
  expect((await runBackup(server.app, 'manual')).status).toBe('ok');
  await unitWithPayment('B-07', 200_000);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('restore from the backups page', () => {
  it('shows the backup beside the books in use and what would be lost; cancelling leaves nothing', async () => {
    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/settings/backups`);
    const panel = page.getByTestId('restore-panel');
    await waitForText(panel, 'Pulihkan dari cadangan');
    await panel.getByTestId('restore-prepare').click();
    const loss = page.getByTestId('restore-loss');
    await waitForText(loss, '1 pembayaran yang diterima sesudahnya');
    await waitForText(loss, 'Buku kas akan menunjukkan Rp 150.000, bukan Rp 350.000');
    const table = page.getByTestId('restore-comparison');
    await waitForText(table, 'Catatan buku kas');
    expect(await table.locator('tr', { hasText: 'Pembayaran terbaru' }).count()).toBe(1);
    expect(stagedFolders()).toHaveLength(1);
    await expect(page.getByTestId('restore-switch').isDisabled()).resolves.toBe(true);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'restore-desktop-id');
    await page.getByTestId('restore-cancel').click();
    await page.getByTestId('restore-prepare').waitFor({ state: 'visible' });
    expect(stagedFolders()).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
  });

  it('in English: confirmed by the estate name, then sign in again and the dashboard names the backup', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await inEnglish(context);
    await page.goto(`${server.url}/settings/backups`);
    await page.getByTestId('restore-prepare').click();
    await waitForText(page.getByTestId('restore-loss'), '1 payment(s) received since');
    await waitForText(page.getByTestId('restore-comparison'), 'In the backup');
    await screenshot(page, 'restore-desktop-en');
    await page.getByTestId('restore-confirm').fill('Perumahan Griya Asri');
    await page.getByTestId('restore-switch').click();
    const done = page.getByTestId('restore-done');
    await waitForText(done, 'Restored. The books are now those of the backup of');
    // This browser signed in after the backup was made: the restored books do not know its session.
    await waitForText(done, 'sign in again');
    await screenshot(page, 'restore-done-en');
    await done.getByRole('button', { name: 'Sign in again' }).click();
    await page.getByLabel('Email or phone number').fill(ADMIN.email);
    await page.getByLabel('Password', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Sign in', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${server.url}/`);
    await waitForText(page.getByTestId('restored-notice'), 'These books were restored on');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'restore-dashboard-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
