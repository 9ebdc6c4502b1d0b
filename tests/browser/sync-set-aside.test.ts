import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { newId } from '../../server/db/ids.ts';
import { platformDb } from '../../server/sync/platform-db.ts';
import { ADMIN, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
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
import { syncStatusAnswer } from './support/sync-status.ts';

/**
 * An account change the hosted instance refused (the account joined another estate there) is set aside and shown on
 * the Sinkronisasi page in plain words, in Indonesian and English, while sync itself is healthy. The status answer
 * is the server's shape (tests/api/sync-shared-account.test.ts shows the server filling it in a real cycle).
 */
let desktop: TestServer;
let browser: Browser;
let estateId: string;
let admin: ApiClient;
const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-sync-set-aside-'));

beforeAll(async () => {
  desktop = await startTestServer({ dataDir });
  ({ estateId, client: admin } = await setupEstate(desktop.url));
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await desktop?.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const status = syncStatusAnswer({
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
});

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

/** An account of this estate and a change of it set aside, as a real sync cycle leaves them. */
async function setAsideChangeOf(name: string, createdAt: string): Promise<string> {
  const n = Math.random().toString(36).slice(2, 8);
  const made = await admin.post(`/estates/${estateId}/users`, { name, email: `akun-${n}@griya-asri.id`, role: 'staff' });
  expect(made.status, made.text).toBe(201);
  const id = newId();
  await platformDb(desktop.app)('sync_set_aside').insert({
    id,
    estate_id: estateId,
    outbox_id: newId(),
    table_name: 'users',
    row_id: made.body.user.id,
    code: 'SYNC_ACCOUNT_OUTSIDE_ESTATE',
    created_at: createdAt,
  });
  return id;
}

describe('the office marks a set-aside account change as handled', () => {
  it('after confirming in the page, the change leaves the list without a reload; the record stays (desktop, id and en)', async () => {
    // Linked, as pairing leaves it (the hosted instance is never called: nobody presses "sync now" here).
    const at = new Date().toISOString();
    await platformDb(desktop.app)('sync_links').insert({
      id: newId(),
      estate_id: estateId,
      cloud_url: 'https://awan.klustera.id',
      token: 'tidak-dipakai',
      pull_cursor: '',
      created_at: at,
      updated_at: at,
    });
    const tono = await setAsideChangeOf('Pak Tono Wibisono', '2026-11-30T04:58:00.000Z');
    const sari = await setAsideChangeOf('Bu Sari Lestari', '2026-11-30T05:10:00.000Z');

    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${desktop.url}/settings/sync`);
    const list = page.getByTestId('sync-set-aside');
    await waitForText(list, 'Bu Sari Lestari');
    const item = (id: string) => list.locator(`li[data-set-aside-id="${id}"]`);
    expect(await item(tono).textContent()).toContain('Pak Tono Wibisono');
    await screenshot(page, 'sync-set-aside-03-handle-buttons-id-desktop');

    // Cancelled: nothing changes.
    await item(tono).getByRole('button', { name: 'Sudah ditangani' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await waitForText(dialog, 'Lakukan ini setelah akun Pak Tono Wibisono dibereskan');
    await screenshot(page, 'sync-set-aside-04-confirm-id-desktop');
    // Marking a note as handled takes nothing away: a primary button, not a red one.
    expect(await confirmTone(page)).toEqual({ tone: 'primary', confirmClass: 'btn btn--primary', focused: 'Batal' });
    await dialog.getByRole('button', { name: 'Batal' }).click();
    expect(await dialog.count()).toBe(0);
    expect(await item(tono).count()).toBe(1);
    expect((await platformDb(desktop.app)('sync_set_aside').where({ id: tono }).first()).handled_at).toBeNull();

    // Escape cancels too.
    await item(tono).getByRole('button', { name: 'Sudah ditangani' }).click();
    await waitForText(dialog, 'Lakukan ini setelah akun Pak Tono Wibisono dibereskan');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect((await platformDb(desktop.app)('sync_set_aside').where({ id: tono }).first()).handled_at).toBeNull();

    await item(tono).getByRole('button', { name: 'Sudah ditangani' }).click();
    await dialog.getByRole('button', { name: 'Sudah ditangani' }).click();
    await waitForText(page.getByTestId('sync-notice'), 'Perubahan akun ditandai sudah ditangani.');
    expect(await item(tono).count()).toBe(0);
    expect(await item(sari).count()).toBe(1);
    const row = await platformDb(desktop.app)('sync_set_aside').where({ id: tono }).first();
    expect(row.handled_at).toBeTruthy();
    expect(row.handled_by).toBeTruthy();
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-set-aside-05-handled-id-desktop');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await item(sari).getByRole('button', { name: 'Mark as handled' }).click();
    await waitForText(dialog, 'Do this once the account of Bu Sari Lestari has been put right');
    await screenshot(page, 'sync-set-aside-06-confirm-en-desktop');
    await dialog.getByRole('button', { name: 'Mark as handled' }).click();
    await waitForText(page.getByTestId('sync-notice'), 'The account change is marked as handled.');
    expect(await list.count()).toBe(0);
    await screenshot(page, 'sync-set-aside-07-handled-en-desktop');
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 90_000);

  it('asks about a set-aside change with a primary button and about unlinking with a danger one (phone, id and en)', async () => {
    const dewi = await setAsideChangeOf('Bu Dewi Anggraini', '2026-11-30T05:30:00.000Z');
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${desktop.url}/settings/sync`);
    const handle = page.getByTestId('sync-set-aside').locator(`li[data-set-aside-id="${dewi}"]`).getByRole('button');
    const dialog = page.getByTestId('confirm-dialog');

    await handle.click();
    await waitForText(dialog, 'Bu Dewi Anggraini');
    expect(await confirmTone(page)).toEqual({ tone: 'primary', confirmClass: 'btn btn--primary', focused: 'Batal' });
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-set-aside-09-confirm-id-phone');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });

    // Unlinking stops the estate's sync: red, and the focus on Cancel so Enter does not unlink.
    await page.getByTestId('sync-unlink').click();
    await waitForText(dialog, 'Putuskan tautan dengan server awan?');
    expect(await confirmTone(page)).toEqual({ tone: 'danger', confirmClass: 'btn btn--danger', focused: 'Batal' });
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-set-aside-10-unlink-confirm-id-phone');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    expect(await platformDb(desktop.app)('sync_links').where({ estate_id: estateId }).first()).toBeTruthy();

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await handle.click();
    await waitForText(dialog, 'Do this once the account of Bu Dewi Anggraini has been put right');
    expect(await confirmTone(page)).toEqual({ tone: 'primary', confirmClass: 'btn btn--primary', focused: 'Cancel' });
    await screenshot(page, 'sync-set-aside-11-confirm-en-phone');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('sync-unlink').click();
    await waitForText(dialog, 'Unlink from the hosted instance?');
    expect(await confirmTone(page)).toEqual({ tone: 'danger', confirmClass: 'btn btn--danger', focused: 'Cancel' });
    await screenshot(page, 'sync-set-aside-12-unlink-confirm-en-phone');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await platformDb(desktop.app)('sync_links').where({ estate_id: estateId }).first()).toBeTruthy();
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('shows the treasurer the list without the button (only administrators manage sync)', async () => {
    const wati = await setAsideChangeOf('Bu Wati', '2026-11-30T06:00:00.000Z');
    const treasurer = await userWithRole(desktop.url, admin, estateId, 'treasurer');
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${desktop.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${desktop.url}/settings/sync`);
    const list = page.getByTestId('sync-set-aside');
    await waitForText(list, 'Bu Wati');
    expect(await list.locator(`li[data-set-aside-id="${wati}"]`).count()).toBe(1);
    expect(await page.getByTestId('sync-set-aside-handle').count()).toBe(0);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-set-aside-08-treasurer-id-phone');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 60_000);
});

/** The open confirmation's tone, its confirm button's classes and the label of the button that has the focus. */
async function confirmTone(page: Page): Promise<{ tone: string | null; confirmClass: string | null; focused: string | null }> {
  const dialog = page.getByTestId('confirm-dialog');
  return {
    tone: await dialog.getAttribute('data-tone'),
    confirmClass: await dialog.getByTestId('confirm-dialog-confirm').getAttribute('class'),
    focused: await page.evaluate(() => document.activeElement?.textContent ?? null),
  };
}
