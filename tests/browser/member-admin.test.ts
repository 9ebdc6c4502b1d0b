import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import { DESKTOP, PHONE, launchChromium, newPage, pageErrors, screenshot, signIn, waitForPath, waitForText } from './support/browser.ts';

/**
 * "Forgot password" without email, as an office and a member live it: the login page says whom to ask, the office
 * makes a one-time link on the users page and sends it by WhatsApp, the member sets a new password with it, and
 * opening the link again says it was used.
 */
let server: TestServer;
let browser: Browser;
let estate: Awaited<ReturnType<typeof setupEstate>>;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  estate = await setupEstate(server.url, 'Perumahan Griya Asri');
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('one-time password links in Chromium', () => {
  it('says on the login page whom to ask, on a desktop and on a phone', async () => {
    for (const viewport of [DESKTOP, PHONE]) {
      const { page, context } = await newPage(browser, viewport);
      await page.goto(`${server.url}/${viewport === PHONE ? 'portal/' : ''}login`);
      await page.getByText('Lupa kata sandi?').click();
      await waitForText(page.getByTestId('forgot-password'), 'Hubungi kantor pengurus');
      await screenshot(page, `member-admin-forgot-${viewport.width}`);
      await context.close();
    }
  });

  it('lets the office make a link that sets a new password once, at 1366x768', async () => {
    const { client: platform, estateId } = estate;
    const admin = await userWithRole(server.url, platform, estateId, 'estate_admin');
    const staff = await userWithRole(server.url, platform, estateId, 'staff', { phone: '0812-3456-7001' });

    const office = await newPage(browser, DESKTOP);
    await signIn(office.page, `${server.url}/login`, admin.email, admin.password);
    await waitForText(office.page.getByTestId('estate-name'), 'Perumahan Griya Asri');
    await office.page.goto(`${server.url}/users`);
    const row = office.page.locator(`[data-testid="member-row"][data-name="${staff.email.split('@')[0].replace('-', ' ')}"]`);
    await row.getByTestId('member-reset-link').click();
    const card = office.page.getByTestId('member-link-card');
    await card.waitFor();
    const url = (await card.getByTestId('member-link-url').textContent())!;
    expect(url).toMatch(/\/portal\/reset\/[A-Za-z0-9_-]{40,}$/);
    const whatsapp = (await card.getByTestId('member-link-whatsapp').getAttribute('href'))!;
    expect(whatsapp).toMatch(/^https:\/\/wa\.me\/6281234567001\?text=/);
    expect(decodeURIComponent(whatsapp)).toContain(url);
    await screenshot(office.page, 'member-admin-link-desktop');

    // The member opens the link (here in another browser), chooses a password and lands signed in.
    const member = await newPage(browser, DESKTOP);
    await member.page.goto(url);
    await waitForText(member.page.locator('body'), 'Kata sandi baru');
    await screenshot(member.page, 'member-admin-reset-form-desktop');
    await member.page.getByLabel('Kata sandi', { exact: true }).fill('sandi-baru-123');
    await member.page.getByLabel('Ulangi kata sandi').fill('sandi-baru-123');
    await member.page.getByRole('button', { name: 'Simpan kata sandi & masuk' }).click();
    await waitForPath(member.page, '/');
    await waitForText(member.page.getByTestId('estate-name'), 'Perumahan Griya Asri');
    expect(pageErrors(member.page)).toEqual([]);

    // The same link again, in a fresh browser: refused in words, nothing to fill in.
    const replay = await newPage(browser, DESKTOP);
    await replay.page.goto(url);
    await waitForText(replay.page.getByTestId('reset-link-refused'), 'Tautan ini sudah dipakai');
    expect(await replay.page.getByTestId('reset-form').count()).toBe(0);
    await screenshot(replay.page, 'member-admin-reset-used-desktop');

    // Switching the member off shows at once in the list.
    await row.getByTestId('member-deactivate').click();
    await waitForText(office.page.getByTestId('member-notice'), 'dinonaktifkan');
    await waitForText(row, 'Nonaktif');
    await row.getByTestId('member-reactivate').waitFor();
    expect(pageErrors(office.page)).toEqual([]);
    for (const p of [office, member, replay]) await p.context.close();
  });
});
