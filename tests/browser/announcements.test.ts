import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import {
  DESKTOP,
  PHONE,
  launchChromium,
  newPage,
  noHorizontalScroll,
  pageErrors,
  screenshot,
  signIn,
  waitForText,
} from './support/browser.ts';

/**
 * Announcements end to end in Chromium: the treasurer (1366×768) writes one for block A with bold text; a resident of
 * A sees the bell count in the portal on a 390×844 phone, opens it and the count goes; a resident of B sees nothing;
 * the office's delivery report lists both units of block A, the one read and the one not yet reached.
 */
let server: TestServer;
let browser: Browser;
let treasurer: { email: string; password: string };
let residentA: { email: string; password: string };
let residentB: { email: string; password: string };

const TITLE = 'Kerja bakti Blok A';

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  const { client: admin, estateId } = await setupEstate(server.url);
  const e = (p: string) => `/estates/${estateId}${p}`;
  const units: Record<string, string> = {};
  for (const [code, block] of [
    ['A-1', 'A'],
    ['A-2', 'A'],
    ['B-1', 'B'],
  ]) {
    const unit = await admin.post(e('/units'), { code, block });
    expect(unit.status, unit.text).toBe(201);
    units[code] = unit.body.id;
  }
  for (const [name, code, slot] of [
    ['Ani Lestari', 'A-1', 'a'],
    ['Bayu Pratama', 'B-1', 'b'],
  ] as const) {
    const r = await admin.post(e('/residents'), { name, unit_id: units[code], relation: 'owner' });
    const user = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: r.body.id });
    if (slot === 'a') residentA = user;
    else residentB = user;
  }
  treasurer = await userWithRole(server.url, admin, estateId, 'treasurer');
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

describe('announcements in Chromium', () => {
  it('the treasurer publishes to block A at 1366×768', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.getByRole('link', { name: 'Pengumuman' }).click();
    await page.getByTestId('announcement-new').click();
    await page.getByLabel('Judul').fill(TITLE);
    const editor = page.getByTestId('announcement-editor');
    await editor.click();
    await page.getByRole('button', { name: 'Tebal' }).click();
    await page.keyboard.type('Minggu pagi');
    await page.getByRole('button', { name: 'Tebal' }).click();
    await page.keyboard.type(' jam 07.00, kumpul di pos satpam.');
    // A link is asked for in the page, wrapping the words chosen before.
    await page.keyboard.press('Shift+Home');
    await page.getByRole('button', { name: 'Tautan', exact: true }).click();
    const linkField = page.getByTestId('announcement-link').getByLabel('Alamat tautan (https://…)');
    await linkField.fill('https://griya-asri.example/kerja-bakti');
    await linkField.press('Enter');
    await expect.poll(() => editor.innerHTML()).toContain('href="https://griya-asri.example/kerja-bakti"');
    await page.getByLabel('Blok tertentu').check();
    await page.locator('input[name="blocks"]').fill('A');
    await screenshot(page, 'announcements-office-form-id');
    await page.getByTestId('announcement-submit').click();
    await waitForText(page.getByRole('status'), 'Pengumuman terbit.');
    await waitForText(page.getByTestId('announcement-row'), TITLE);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'announcements-office-list-id');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 60_000);

  it('a resident of A sees the bell count on a 390×844 phone, reads it, and the count goes', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${server.url}/portal/login`, residentA.email, residentA.password);
    await waitForText(page.getByTestId('notification-count'), '1');
    await screenshot(page, 'announcements-portal-bell-id');
    await page.getByTestId('notification-bell').click();
    await waitForText(page.getByTestId('notification-item'), `Pengumuman: ${TITLE}`);
    expect(await noHorizontalScroll(page)).toBe(true);
    await page.getByRole('link', { name: 'Buka' }).click();
    await waitForText(page.getByTestId('announcement-body'), 'kumpul di pos satpam');
    expect(await page.getByTestId('announcement-body').locator('b, strong').innerText()).toBe('Minggu pagi');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'announcements-portal-detail-id');
    // Opening it is the read receipt: the bell empties without a reload.
    await page.getByTestId('notification-count').waitFor({ state: 'detached' });
    await page.goto(`${server.url}/portal/announcements`);
    await waitForText(page.getByTestId('announcement-item'), TITLE);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'announcements-portal-list-id');
    expect(pageErrors(page)).toEqual([]);
    await context.close();

    const english = await newPage(browser, PHONE);
    await signIn(english.page, `${server.url}/portal/login`, residentA.email, residentA.password);
    await inEnglish(english.context);
    await english.page.goto(`${server.url}/portal/notifications`);
    await waitForText(english.page.getByTestId('notification-item'), `Announcement: ${TITLE}`);
    expect(await noHorizontalScroll(english.page)).toBe(true);
    await screenshot(english.page, 'announcements-portal-notifications-en');
    await english.page.goto(`${server.url}/portal/announcements`);
    await waitForText(english.page.getByTestId('announcement-item'), TITLE);
    await screenshot(english.page, 'announcements-portal-list-en');
    await english.context.close();
  }, 90_000);

  it('a resident of B gets neither the bell count nor the announcement', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${server.url}/portal/login`, residentB.email, residentB.password);
    await page.getByTestId('notification-bell').waitFor();
    await page.goto(`${server.url}/portal/announcements`);
    await waitForText(page.getByRole('main'), 'Belum ada pengumuman untuk unit Anda.');
    expect(await page.getByTestId('notification-count').count()).toBe(0);
    expect(await page.getByText(TITLE).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 60_000);

  for (const language of ['id', 'en'] as const) {
    it(`the office's delivery report shows both units of block A, read and not yet reached (${language})`, async () => {
      const { context, page } = await newPage(browser, DESKTOP);
      await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
      if (language === 'en') await inEnglish(context);
      await page.goto(`${server.url}/announcements`);
      await page.getByRole('link', { name: TITLE }).click();
      const rows = page.getByTestId('delivery-unit');
      await waitForText(rows.first(), 'A-1');
      expect(await rows.allInnerTexts()).toHaveLength(2);
      expect(await page.locator('[data-testid="delivery-unit"][data-read="yes"]').innerText()).toContain('A-1');
      expect(await page.locator('[data-testid="delivery-unit"][data-read="no"]').innerText()).toContain('A-2');
      expect(await page.getByTestId('delivery-report').innerText()).not.toContain('B-1');
      // One unit read it, the other has it unread: one each, not "2 delivered".
      await waitForText(page.getByTestId('delivery-channel-portal'), language === 'id' ? 'Portal warga' : 'Resident portal');
      expect(await page.getByTestId('delivery-portal-delivered').innerText()).toBe('1');
      expect(await page.getByTestId('delivery-portal-read').innerText()).toBe('1');
      expect(await page.getByTestId('delivery-portal-sent').innerText()).toBe('0');
      expect(await page.getByTestId('delivery-counts').locator('th').allTextContents()).toContain(
        language === 'id' ? 'Sampai' : 'Delivered',
      );
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `announcements-office-report-${language}`);
      if (language === 'en') {
        await page.goto(`${server.url}/announcements`);
        await page.getByTestId('announcement-new').click();
        await screenshot(page, 'announcements-office-form-en');
        const phone = await newPage(browser, PHONE);
        await signIn(phone.page, `${server.url}/login`, treasurer.email, treasurer.password);
        await inEnglish(phone.context);
        await phone.page.goto(`${server.url}/announcements`);
        await waitForText(phone.page.getByTestId('announcement-row'), TITLE);
        await screenshot(phone.page, 'announcements-office-list-phone-en');
        // The report's channel table fits a phone: it scrolls inside its frame, the page does not.
        await phone.page.getByRole('link', { name: TITLE }).click();
        await waitForText(phone.page.getByTestId('delivery-channel-portal'), 'Resident portal');
        expect(await noHorizontalScroll(phone.page)).toBe(true);
        await screenshot(phone.page, 'announcements-office-report-phone-en');
        await phone.context.close();
      }
      expect(pageErrors(page)).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
