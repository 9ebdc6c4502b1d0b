import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.ts';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The S3 bucket on the backups page at 1366×768: refused without the backup passphrase, saved with it (the secret key
 * never shown again), "test connection" against a real S3 wire-format server, and a backup by hand listed as uploaded;
 * a wrong secret key tested says in words that the bucket refused it, in English.
 */
let server: TestServer;
let browser: Browser;
let s3: FakeS3;

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

beforeAll(async () => {
  s3 = await startFakeS3();
  server = await startTestServer();
  browser = await launchChromium();
  await setupEstate(server.url);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await s3?.close();
});

describe('backups page: S3 bucket', () => {
  it('saves the bucket once a passphrase is set, tests it, and lists the upload of a backup', async () => {
    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/settings/backups`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Cadangan data');
    const settings = page.getByTestId('backups-settings');
    const bucket = page.getByTestId('backups-s3');
    await waitForText(bucket, 'Cadangan ke penyimpanan awan (S3)');
    expect(await bucket.getByTestId('s3-test').isDisabled()).toBe(true);
    await bucket.locator('input[name="s3_enabled"]').check();
    await bucket.locator('input[name="s3_endpoint"]').fill(s3.url);
    await bucket.locator('input[name="s3_region"]').fill(s3.region);
    await bucket.locator('input[name="s3_bucket"]').fill('klustera-backups');
    await bucket.locator('input[name="s3_prefix"]').fill('griya/');
    await bucket.locator('input[name="s3_access_key_id"]').fill(s3.accessKeyId);
    await bucket.locator('input[name="s3_secret_key"]').fill(s3.secretAccessKey);
    await bucket.locator('input[name="s3_path_style"]').check();
    await settings.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(settings, 'ke S3 dienkripsi: isi kata sandi cadangan dulu');

    await settings.locator('input[name="passphrase"]').fill('kunci-lemari-rt05');
    await settings.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(page.getByRole('status'), 'Pengaturan cadangan disimpan.');
    await waitForText(bucket, 'Tersimpan. Isi hanya bila ingin menggantinya.');
    expect(await bucket.locator('input[name="s3_secret_key"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(s3.secretAccessKey);

    await bucket.getByTestId('s3-test').click();
    await waitForText(bucket.getByTestId('s3-test-ok'), 'objek uji ditulis, dibaca, dan dihapus di bucket klustera-backups');

    await page.getByTestId('backup-now').click();
    await waitForText(page.getByTestId('backup-row').first().getByTestId('backup-remote'), 'S3: terunggah');
    expect([...s3.buckets.get('klustera-backups')!.keys()]).toEqual([expect.stringMatching(/^griya\/klustera-.*\.sqlite\.klbk$/)]);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'backups-s3-desktop-id');
    expect(pageErrors(page)).toEqual([]);
  });

  it('a secret key the bucket refuses is told in words, in English', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await inEnglish(context);
    await page.goto(`${server.url}/settings/backups`);
    const bucket = page.getByTestId('backups-s3');
    await waitForText(bucket, 'Backup to cloud storage (S3)');
    await bucket.locator('input[name="s3_secret_key"]').fill('not-the-secret-key');
    await page.getByTestId('backups-settings').getByRole('button', { name: 'Save' }).click();
    await waitForText(page.getByRole('status'), 'Backup settings saved.');
    await bucket.getByTestId('s3-test').click();
    await waitForText(bucket.getByRole('alert'), 'The S3 server refused this access key ID or secret key.');
    await waitForText(page.getByTestId('backup-row').first(), 'S3: uploaded');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'backups-s3-desktop-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
