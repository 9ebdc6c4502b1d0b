import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type FakeS3, startFakeS3 } from '../support/fake-s3.ts';
import { ADMIN, type ApiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * "Upload again" on the backups page at 1366×768: a backup the bucket refused is shown with a short explanation and
 * the button; once the bucket settings are fixed, one press uploads it and the warning and the button go away.
 */
let server: TestServer;
let browser: Browser;
let s3: FakeS3;
let admin: ApiClient;

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

const settings = (secretKey: string) => ({
  enabled: true,
  time: '02:00',
  keep_daily: 7,
  keep_weekly: 4,
  keep_monthly: 12,
  copy_folder: null,
  passphrase: 'kunci-lemari-rt05',
  s3: {
    enabled: true,
    endpoint: s3.url,
    region: s3.region,
    bucket: 'klustera-backups',
    prefix: 'griya/',
    access_key_id: s3.accessKeyId,
    secret_key: secretKey,
    path_style: true,
  },
});

/** A backup by hand whose upload the bucket refuses; the bucket's keys are right again afterwards. */
async function backupTheBucketRefused() {
  expect((await admin.put('/installation/backups/settings', settings('wrong-secret-key'))).status).toBe(200);
  expect((await admin.post('/installation/backups', {})).status).toBe(202);
  for (let i = 0; i < 200; i++) {
    const [latest] = (await admin.get('/installation/backups')).body.backups;
    if (latest?.remote?.status === 'failed') break;
    await new Promise((r) => setTimeout(r, 100));
  }
  const [refused] = (await admin.get('/installation/backups')).body.backups;
  expect(refused.remote.status).toBe('failed');
  expect((await admin.put('/installation/backups/settings', settings(s3.secretAccessKey))).status).toBe(200);
  return `griya/${refused.file_name}.klbk`;
}

beforeAll(async () => {
  s3 = await startFakeS3();
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin } = await setupEstate(server.url));
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await s3?.close();
});

describe('backups page: upload again', () => {
  for (const language of ['id', 'en'] as const) {
    it(`a refused upload is uploaded again with one press (${language})`, async () => {
      const key = await backupTheBucketRefused();
      const { context, page } = await newPage(browser, DESKTOP);
      await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
      if (language === 'en') await inEnglish(context);
      await page.goto(`${server.url}/settings/backups`);
      const status = page.getByTestId('backups-status');
      const words =
        language === 'id'
          ? { hint: '1 cadangan gagal diunggah ke bucket S3', button: 'Unggah ulang', failed: 'S3: gagal', ok: 'S3: terunggah' }
          : {
              hint: '1 backup(s) could not be uploaded to the S3 bucket',
              button: 'Upload again',
              failed: 'S3: failed',
              ok: 'S3: uploaded',
            };
      await waitForText(status.getByTestId('backups-upload-failed'), words.hint);
      await waitForText(page.getByTestId('backup-row').first().getByTestId('backup-remote'), words.failed);
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `backups-upload-again-desktop-${language}`);
      expect(s3.buckets.get('klustera-backups')!.has(key)).toBe(false);

      await status.getByRole('button', { name: words.button }).click();
      await waitForText(page.getByTestId('backup-row').first().getByTestId('backup-remote'), words.ok);
      expect(await status.getByTestId('backup-upload-again').count()).toBe(0);
      expect(await status.getByTestId('backups-upload-failed').count()).toBe(0);
      await waitForText(status, language === 'id' ? 'Aman' : 'Safe');
      expect(s3.buckets.get('klustera-backups')!.has(key)).toBe(true);
      await screenshot(page, `backups-upload-again-done-desktop-${language}`);
      expect(pageErrors(page)).toEqual([]);
    });
  }
});
