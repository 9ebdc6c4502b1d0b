import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ADMIN, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import {
  DESKTOP,
  launchChromium,
  newPage,
  noHorizontalScroll,
  PHONE,
  pageErrors,
  screenshot,
  signIn,
  waitForText,
} from './support/browser.ts';

/**
 * An account change the hosted instance refused (the account joined another estate there) is set aside and shown on
 * the Sinkronisasi page in plain words, in Indonesian and English, while sync itself is healthy. The status answer
 * is the server's shape (tests/api/sync-shared-account.test.ts shows the server filling it in a real cycle).
 */
let desktop: TestServer;
let browser: Browser;
let estateId: string;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-sync-set-aside-'));

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

const status = {
  linked: true,
  cloud_url: 'https://awan.klustera.id',
  last_sync_at: '2026-11-30T05:00:00.000Z',
  waiting: 0,
  last_error: null,
  clock_skew_ms: 0,
  clock_warning: null,
  clock_far_off: false,
  digest_alert: null,
  progress: null,
  set_aside: [
    {
      id: 'sa-1',
      user_id: 'u-tono',
      name: 'Pak Tono Wibisono',
      created_at: '2026-11-30T04:58:00.000Z',
      code: 'SYNC_ACCOUNT_OUTSIDE_ESTATE',
      message: 'ditampilkan dari terjemahan halaman',
    },
  ],
};

describe('an account change set aside by sync on the Sinkronisasi page', () => {
  for (const [size, viewport] of [
    ['desktop', DESKTOP],
    ['phone', PHONE],
  ] as const) {
    it(`says which account and why, in Indonesian and English (${size})`, async () => {
      const { context, page } = await newPage(browser, viewport);
      await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
      await page.route(`**/api/v1/estates/${estateId}/sync`, (route) => route.fulfill({ json: status }));
      await page.goto(`${desktop.url}/settings/sync`);
      const notice = page.getByTestId('sync-set-aside');
      await waitForText(notice, 'Pak Tono Wibisono: perubahan e-mail, nomor HP atau kata sandi tidak dikirim');
      expect(await notice.textContent()).toContain('Perubahan akun yang tidak dikirim ke server awan');
      expect(await page.getByTestId('sync-last-error').count()).toBe(0);
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `sync-set-aside-01-id-${size}`);

      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await waitForText(notice, 'Pak Tono Wibisono: a change of e-mail, phone or password was not sent');
      expect(await notice.textContent()).toContain('Account changes not sent to the hosted instance');
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `sync-set-aside-02-en-${size}`);
      await page.getByRole('button', { name: 'ID', exact: true }).click();
      expect(pageErrors(page)).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
