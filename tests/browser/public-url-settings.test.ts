import type { NetworkInterfaceInfo } from 'node:os';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/** The office settings screen shows the address phones open and lets the installation's administrator change it. */
const nic = (address: string, internal = false) =>
  ({ address, internal, family: 'IPv4', netmask: '255.255.255.0', mac: '00:00:00:00:00:00', cidr: null }) as NetworkInterfaceInfo;

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let lan: string;

beforeAll(async () => {
  server = await startTestServer({
    host: '0.0.0.0',
    networkInterfaces: { lo: [nic('127.0.0.1', true)], wlan0: [nic('192.168.1.23')] },
    options: { loginRateLimitPerMinute: 1000 },
  });
  lan = `http://192.168.1.23:${server.port}`;
  ({ client: admin, estateId } = await setupEstate(server.url));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the public address on the settings screen, 1366×768', () => {
  it('shows the LAN address, refuses a link with credentials in Indonesian, saves a good one, and reads in English', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await page.getByRole('link', { name: 'Pengaturan', exact: true }).click();
    await waitForText(page.getByTestId('public-url-current'), lan);
    await waitForText(page.getByTestId('public-url-source'), 'alamat komputer ini di jaringan lokal');
    await screenshot(page, 'desktop-settings-public-url-id');

    const input = page.getByLabel('Alamat publik');
    await input.fill('http://kantor.griya-asri.id@evil.example');
    await page.getByTestId('public-url-form').getByRole('button', { name: 'Simpan', exact: true }).click();
    await waitForText(page.locator('.field__error'), 'Alamat tidak valid.');
    expect((await admin.get('/installation/public-url')).body.source).toBe('lan');

    await input.fill('https://klustera.griya-asri.id/');
    await page.getByTestId('public-url-form').getByRole('button', { name: 'Simpan', exact: true }).click();
    await waitForText(page.getByRole('status'), 'Alamat disimpan.');
    await waitForText(page.getByTestId('public-url-current'), 'https://klustera.griya-asri.id');
    expect((await admin.get('/installation/public-url')).body).toMatchObject({
      public_url: 'https://klustera.griya-asri.id',
      source: 'setting',
    });
    const invite = await admin.post(`/estates/${estateId}/users`, { name: 'Bu Sari', phone: '0812-3456-7800', role: 'treasurer' });
    expect(invite.body.invite.url).toMatch(/^https:\/\/klustera\.griya-asri\.id\/portal\/invite\//);

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Settings');
    await waitForText(page.getByTestId('public-url-source'), 'saved here');
    await page.getByLabel('Public address').waitFor();
    // Nothing on the page is wider than the window at 1366 px.
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'desktop-settings-public-url-en');

    await page.getByRole('button', { name: 'Use the automatic address' }).click();
    await waitForText(page.getByTestId('public-url-current'), lan);
    expect((await admin.get('/installation/public-url')).body.stored).toBeNull();
    await page.getByRole('button', { name: 'ID', exact: true }).click();

    // The office window runs on 127.0.0.1; the pairing instructions name the address the tablet can open.
    await page.goto(`${server.url}/gate/setup`);
    await page.getByLabel('Nama perangkat').fill('Tablet pos depan');
    await page.getByRole('button', { name: 'Buat kode pemasangan' }).click();
    await waitForText(page.getByTestId('pairing-code'), `buka ${lan}/kiosk?estate=${estateId} lalu`);
    expect(await page.getByTestId('pairing-code').textContent()).not.toContain('127.0.0.1');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('shows the address to an estate administrator without letting them change it', async () => {
    const estateAdmin = await userWithRole(server.url, admin, estateId, 'estate_admin');
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, estateAdmin.email, estateAdmin.password);
    await page.goto(`${server.url}/settings`);
    await waitForText(page.getByTestId('public-url-current'), lan);
    await waitForText(page.getByTestId('public-url-readonly'), 'Hanya administrator server');
    expect(await page.getByLabel('Alamat publik').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 60_000);
});
