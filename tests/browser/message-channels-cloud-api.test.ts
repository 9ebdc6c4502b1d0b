import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeWhatsappCloud, type FakeWhatsappCloud } from '../support/fake-whatsapp-cloud.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The treasurer switches the estate's WhatsApp to Meta's Cloud API at 1366×768: the phone number id, the access token
 * (write-only), the address of a stand-in on 127.0.0.1 and the approved template for "payment received"; the test send
 * arrives as Meta's hello_world; the same page in English.
 */
const PHONE_NUMBER_ID = '106540352242922';
const TOKEN = 'EAAG-cloud-token-griya-asri';
let server: TestServer;
let browser: Browser;
let cloud: FakeWhatsappCloud;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  cloud = await startFakeWhatsappCloud(PHONE_NUMBER_ID, TOKEN);
  ({ client: admin, estateId } = await setupEstate(server.url));
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await cloud?.close();
});

describe('message channels page with the WhatsApp Cloud API', () => {
  it('saves the Cloud API with a template mapping, and the test send arrives', async () => {
    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/settings/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Saluran pesan');

    const gateway = page.getByTestId('channel-wa-gateway');
    await gateway.locator('select[name="provider"]').selectOption({ label: 'WhatsApp Cloud API (Meta)' });
    await waitForText(gateway, 'Template WhatsApp yang disetujui Meta');
    await gateway.getByLabel('Kirim WhatsApp lewat gateway').check();
    await gateway.locator('input[name="base_url"]').fill(cloud.url);
    await gateway.locator('input[name="phone_number_id"]').fill(PHONE_NUMBER_ID);
    await gateway.locator('input[name="token"]').fill(TOKEN);
    await gateway.locator('input[name="cloud_template_payment_received"]').fill('pembayaran_diterima');
    await gateway.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(gateway.getByRole('status'), 'Tersimpan.');
    expect(await gateway.locator('input[name="token"]').inputValue()).toBe('');

    const saved = await admin.get(`/estates/${estateId}/settings/message-channels`);
    expect(saved.body.wa_gateway).toMatchObject({
      enabled: true,
      provider: 'cloud_api',
      base_url: cloud.url,
      phone_number_id: PHONE_NUMBER_ID,
      has_token: true,
      cloud_templates: { payment_received: { name: 'pembayaran_diterima', language: 'id' } },
    });
    expect(Object.keys(saved.body.wa_gateway.cloud_templates)).toEqual(['payment_received']);

    const test = gateway.getByTestId('channel-test-wa_gateway');
    await test.locator('input[name="to"]').fill('0812-1111-2222');
    await gateway.getByRole('button', { name: 'Kirim uji' }).click();
    await waitForText(test, 'Pesan uji terkirim.');
    expect(cloud.sent.map((s) => [s.to, s.template.name])).toEqual([['6281211112222', 'hello_world']]);

    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-channels-cloud-api-desktop-id');
    expect(pageErrors(page)).toEqual([]);
  });

  it('reads in English, the token shown only as saved', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await inEnglish(context);
    await page.goto(`${server.url}/settings/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Message channels');
    const gateway = page.getByTestId('channel-wa-gateway');
    await waitForText(gateway, 'WhatsApp templates approved by Meta');
    expect(await gateway.locator('input[name="cloud_template_payment_received"]').inputValue()).toBe('pembayaran_diterima');
    expect(await page.content()).not.toContain(TOKEN);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-channels-cloud-api-desktop-en');
    expect(pageErrors(page)).toEqual([]);
  });
});
