import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWhatsapp, type FakeWhatsapp } from '../support/fake-whatsapp.ts';
import { setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import { startSmtpInbox, type SmtpInbox } from '../support/smtp-inbox.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The treasurer sets up the estate's message channels at 1366×768: an SMTP account (a real SMTP server in-process)
 * and a Fonnte-style WhatsApp gateway (a fake on 127.0.0.1), each saved with its secret kept write-only and proven by
 * a test send that arrives; a refused test says why; the same page in English.
 */
const TOKEN = 'fonnte-token-griya-asri';
let server: TestServer;
let browser: Browser;
let inbox: SmtpInbox;
let fonnte: FakeWhatsapp;
let treasurer: { email: string; password: string };

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  inbox = await startSmtpInbox();
  fonnte = await startFakeWhatsapp('fonnte', TOKEN);
  const { client: admin, estateId } = await setupEstate(server.url);
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await inbox?.close();
  await fonnte?.close();
});

describe('message channels page', () => {
  it('saves the SMTP account and the WhatsApp gateway, and each test send arrives', async () => {
    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/settings/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Saluran pesan');

    const email = page.getByTestId('channel-email');
    await email.getByLabel('Kirim email').check();
    await email.locator('input[name="host"]').fill('127.0.0.1');
    await email.locator('input[name="port"]').fill(String(inbox.port));
    await email.locator('input[name="password"]').fill('smtp-rahasia-123');
    await email.locator('input[name="from_address"]').fill('pengurus@griya-asri.id');
    await email.locator('input[name="from_name"]').fill('Pengurus Griya Asri');
    await email.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(email.getByRole('status'), 'Tersimpan.');
    await waitForText(email, 'Tersimpan. Isi hanya bila ingin menggantinya.');
    expect(await email.locator('input[name="password"]').inputValue()).toBe('');
    await email.getByTestId('channel-test-email').locator('input[name="to"]').fill('budi@warga.example');
    await email.getByRole('button', { name: 'Kirim uji' }).click();
    await waitForText(email.getByTestId('channel-test-email'), 'Pesan uji terkirim.');
    await expect.poll(() => inbox.mails.length).toBe(1);
    expect(inbox.mails[0]).toMatchObject({ to: ['budi@warga.example'], subject: 'Pesan uji Klustera' });

    const gateway = page.getByTestId('channel-wa-gateway');
    await gateway.getByLabel('Kirim WhatsApp lewat gateway').check();
    await gateway.locator('input[name="base_url"]').fill(fonnte.url);
    await gateway.locator('input[name="token"]').fill(TOKEN);
    await gateway.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(gateway.getByRole('status'), 'Tersimpan.');
    const test = gateway.getByTestId('channel-test-wa_gateway');
    // A number that is not a WhatsApp number is refused in words, and nothing is sent.
    await test.locator('input[name="to"]').fill('12ab');
    await gateway.getByRole('button', { name: 'Kirim uji' }).click();
    await waitForText(test, 'Nomor WhatsApp tidak valid.');
    expect(fonnte.sent).toHaveLength(0);
    await test.locator('input[name="to"]').fill('0812-1111-2222');
    await gateway.getByRole('button', { name: 'Kirim uji' }).click();
    await waitForText(test, 'Pesan uji terkirim.');
    expect(fonnte.sent.map((s) => s.number)).toEqual(['6281211112222']);
    expect(fonnte.sent[0].headers.authorization).toBe(TOKEN);

    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-channels-desktop-id');
    expect(pageErrors(page)).toEqual([]);
  });

  it('reads in English, with the secrets shown only as saved', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await inEnglish(context);
    await page.goto(`${server.url}/settings/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Message channels');
    await waitForText(page.getByTestId('channel-email'), 'Saved. Fill in only to change it.');
    expect(await page.getByTestId('channel-email').locator('input[name="host"]').inputValue()).toBe('127.0.0.1');
    expect(await page.content()).not.toContain('smtp-rahasia-123');
    expect(await page.content()).not.toContain(TOKEN);
    await screenshot(page, 'message-channels-desktop-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
