import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The office's outbox in Chromium at 1366×768: a payment prepares a wa.me message; the treasurer opens it in WhatsApp
 * ("Kirim" carries the filled-in text) and ticks it off; the same page in English.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  for (const [code, name, phone] of [
    ['A-1', 'Budi Santoso', '0812-1111-2222'],
    ['A-2', 'Sari Dewi', '0813-3333-4444'],
  ]) {
    const unit = await admin.post(e('/units'), { code, block: 'A' });
    await admin.post(e('/residents'), { name, unit_id: unit.body.id, relation: 'owner', phone });
    const paid = await admin.post(e('/payments'), {
      unit_id: unit.body.id,
      amount: 150_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(201);
  }
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('resident messages page', () => {
  it('lists wa.me messages with a link that opens WhatsApp, and ticks one off', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Pesan warga');
    const rows = page.getByTestId('message-row');
    await expect.poll(() => rows.count()).toBe(2);
    const budi = rows.filter({ hasText: 'Budi Santoso' });
    const href = await budi.getByRole('link', { name: 'Kirim' }).getAttribute('href');
    expect(href).toMatch(/^https:\/\/wa\.me\/6281211112222\?text=/);
    expect(decodeURIComponent(href!.split('text=')[1])).toContain('Yth. Budi Santoso');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'messages-desktop-id');
    await budi.getByRole('button', { name: 'Tandai terkirim' }).click();
    await waitForText(page.getByRole('status'), 'Pesan ditandai terkirim.');
    await expect.poll(() => rows.count()).toBe(1);
    await page.getByTestId('messages-filter-sent').click();
    await waitForText(page.getByTestId('messages-table'), 'Budi Santoso');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('reads in English', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await inEnglish(context);
    await page.goto(`${server.url}/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Resident messages');
    await waitForText(page.getByTestId('messages-table'), 'Sari Dewi');
    await expect.poll(() => page.getByRole('link', { name: 'Send' }).count()).toBe(1);
    await screenshot(page, 'messages-desktop-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
