import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runBackup } from '../../server/backups/service.ts';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The server administrator's backups page at 1366×768: a backup made by hand shows up with its checks; a copy folder
 * is refused without a passphrase and saved with one; the dashboard warns in words when the last backup failed and
 * links here; the same page in English.
 */
let server: TestServer;
let browser: Browser;
let usb: string;

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  await setupEstate(server.url);
  usb = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-usb-'));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  fs.rmSync(usb, { recursive: true, force: true });
});

describe('backups page', () => {
  it('makes a backup by hand, refuses a copy folder without a passphrase, saves one with it', async () => {
    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/settings/backups`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Cadangan data');
    await waitForText(page.getByTestId('backups-table'), 'Belum ada cadangan.');
    await page.getByTestId('backup-now').click();
    const row = page.getByTestId('backup-row').first();
    await waitForText(row, 'Berhasil');
    await waitForText(row, 'buku kas terverifikasi');
    await waitForText(page.getByTestId('backups-status'), 'Aman');

    const settings = page.getByTestId('backups-settings');
    await settings.locator('input[name="copy_folder"]').fill(usb);
    await settings.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(settings, 'isi kata sandi cadangan dulu');
    await settings.locator('input[name="passphrase"]').fill('kunci-lemari-rt05');
    await settings.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(page.getByRole('status'), 'Pengaturan cadangan disimpan.');
    await waitForText(settings, 'Tersimpan. Isi hanya bila ingin menggantinya.');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'backups-desktop-id');
    expect(pageErrors(page)).toEqual([]);
  });

  it('the dashboard warns when the last backup failed and links to the page, in English too', async () => {
    const backups = path.join(server.dataDir, 'backups');
    fs.renameSync(backups, `${backups}.moved`);
    fs.writeFileSync(backups, 'not a folder');
    await expect(runBackup(server.app, 'manual')).rejects.toThrow();
    fs.rmSync(backups);
    fs.renameSync(`${backups}.moved`, backups);

    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await inEnglish(context);
    await page.goto(`${server.url}/`);
    const warning = page.getByTestId('backup-warning');
    await waitForText(warning, 'The last backup failed.');
    await warning.getByRole('link', { name: 'Open Backups' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Backups');
    await waitForText(page.getByTestId('backups-status'), 'The last backup failed');
    await waitForText(page.getByTestId('backup-row').first(), 'Failed');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'backups-desktop-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
