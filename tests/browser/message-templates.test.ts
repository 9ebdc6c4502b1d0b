import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The treasurer words the "payment received" message in the estate's own words at 1366×768: a preview fills in sample
 * values, an unknown variable is refused in words, the saved wording is what the next payment's message says, and
 * "back to the default" restores Klustera's wording; the page in English.
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
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('message templates page', () => {
  it('previews, refuses an unknown variable, saves the wording the next message uses, and resets it', async () => {
    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/settings/message-templates`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Templat pesan');
    const editor = page.getByTestId('template-editor');
    await expect.poll(() => editor.locator('select[name="key"]').inputValue()).toBe('payment_received');
    await waitForText(editor.getByTestId('template-variables'), '{jumlah}');

    const body = editor.locator('textarea[name="body"]');
    await body.fill('Terima kasih {nama}, iuran unit {unit} sebesar {jumlah} sudah kami terima. Salam, pengurus. {tanda_tangan}');
    await editor.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(editor, 'Variabel tidak dikenal: {tanda_tangan}.');

    await body.fill('Terima kasih {nama}, iuran unit {unit} sebesar {jumlah} sudah kami terima. Salam, pengurus RT 05.');
    await editor.getByRole('button', { name: 'Pratinjau' }).click();
    const preview = editor.getByTestId('template-preview');
    await waitForText(preview, 'Salam, pengurus RT 05.');
    expect(await preview.textContent()).not.toContain('{nama}');
    await editor.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(editor.getByRole('status'), 'Templat disimpan.');
    await waitForText(editor, 'kata-kata sendiri');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-templates-desktop-id');

    // The next payment's message says it in the saved words.
    const unit = (await admin.post(`/estates/${estateId}/units`, { code: 'T-1', block: 'T' })).body;
    await admin.post(`/estates/${estateId}/residents`, {
      name: 'Budi Santoso',
      unit_id: unit.id,
      relation: 'owner',
      phone: '0812-1111-2222',
    });
    const paid = await admin.post(`/estates/${estateId}/payments`, {
      unit_id: unit.id,
      amount: 150_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(201);
    const messages = await server.db.knex('messages').where({ estate_id: estateId, template_key: 'payment_received', unit_id: unit.id });
    expect(messages.map((m) => m.body_text)).toEqual([
      expect.stringMatching(/^Terima kasih Budi Santoso, iuran unit T-1 sebesar .*150.000.* Salam, pengurus RT 05\.$/),
    ]);

    await editor.getByRole('button', { name: 'Kembali ke kata-kata bawaan' }).click();
    await waitForText(editor.getByRole('status'), 'Kembali ke kata-kata bawaan.');
    await expect.poll(() => body.inputValue()).toContain('sudah kami terima. Terima kasih.');
    expect(pageErrors(page)).toEqual([]);
  });

  it('reads in English', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await inEnglish(context);
    await page.goto(`${server.url}/settings/message-templates`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Message templates');
    await waitForText(page.getByTestId('template-editor').locator('select[name="key"]'), 'Payment received');
    await screenshot(page, 'message-templates-desktop-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
