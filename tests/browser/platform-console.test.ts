import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import {
  DESKTOP,
  PHONE,
  launchChromium,
  newPage,
  pageErrors,
  screenshot,
  waitForText,
  noHorizontalScroll,
  signIn,
} from './support/browser.ts';

/**
 * The platform console in Chromium (1366×768): a platform administrator creates an estate with an invited first
 * administrator and suspends another after confirming; that estate's resident (390×844) and treasurer then see one
 * plain message instead of their screens. In Indonesian and English.
 */
let server: TestServer;
let browser: Browser;
let platform: ApiClient;
let platformLogin: { email: string; password: string };
let melati: string;
let resident: { email: string; password: string };
let treasurer: { email: string; password: string };
/** The estate's guard-post tablet (kiosk, 1280×800), paired before the estate is suspended. */
let kiosk: { context: BrowserContext; page: Page };
const KIOSK = { width: 1280, height: 800 };

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  const setup = await setupEstate(server.url, 'Griya Asri');
  platform = setup.client;
  platformLogin = { email: setup.admin.email, password: setup.admin.password };
  const created = await platform.post('/estates', { name: 'Taman Melati', timezone: 'Asia/Jakarta' });
  expect(created.status, created.text).toBe(201);
  melati = created.body.id;
  const unit = await platform.post(`/estates/${melati}/units`, { code: 'C-3' });
  const warga = await platform.post(`/estates/${melati}/residents`, { name: 'Sri Wahyuni', unit_id: unit.body.id, relation: 'owner' });
  const r = await userWithRole(server.url, platform, melati, 'resident', { resident_id: warga.body.id });
  resident = { email: r.email, password: r.password };
  const t = await userWithRole(server.url, platform, melati, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('platform console in Chromium', () => {
  it('a platform administrator creates an estate and suspends another', async () => {
    const device = await platform.post(`/estates/${melati}/devices`, { name: 'Tablet pos', kind: 'kiosk' });
    kiosk = await newPage(browser, KIOSK);
    await kiosk.page.goto(`${server.url}/kiosk?estate=${melati}`);
    await kiosk.page.getByLabel('Kode pemasangan').fill(device.body.pairing_code);
    await kiosk.page.getByRole('button', { name: 'Pasangkan' }).click();
    await kiosk.page.getByLabel('Kode pemasangan').waitFor({ state: 'detached' });

    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, platformLogin.email, platformLogin.password);
    await page.getByRole('link', { name: 'Platform', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Platform');
    const rows = page.getByTestId('platform-estate-row');
    await waitForText(rows.filter({ hasText: 'Taman Melati' }), 'Aktif');
    // Usage: one unit, one resident living there, the platform admin plus two members.
    const melatiRow = rows.filter({ hasText: 'Taman Melati' });
    expect((await melatiRow.locator('td.num').allInnerTexts()).map((s) => s.trim())).toEqual(['1', '1', '3']);
    await waitForText(melatiRow, 'Belum pernah');

    // A new estate whose first administrator gets an invite link.
    const form = page.getByTestId('create-estate-form');
    await form.getByLabel('Nama perumahan').fill('Bukit Hijau');
    await form.getByLabel('Zona waktu').selectOption('Asia/Makassar');
    await form.getByLabel('Nama', { exact: true }).fill('Pak Darto');
    await form.getByLabel('Email').fill('darto@bukit-hijau.id');
    await form.getByRole('button', { name: 'Buat perumahan' }).click();
    await waitForText(page.getByTestId('estate-created'), 'Bukit Hijau dibuat.');
    expect(await page.getByTestId('invite-link').innerText()).toMatch(/\/portal\/invite\/[2-9A-HJ-NP-Z]{16}$/);
    await waitForText(rows.filter({ hasText: 'Bukit Hijau' }), 'Asia/Makassar');
    await screenshot(page, 'platform-01-created-id');

    // Suspending asks first and says the data stays.
    await melatiRow.getByRole('button', { name: 'Nonaktifkan' }).click();
    const dialog = page.getByTestId('confirm-dialog');
    await waitForText(dialog, 'Semua datanya tetap tersimpan');
    await screenshot(page, 'platform-02-confirm-id');
    expect(await dialog.getByTestId('confirm-dialog-confirm').getAttribute('class')).toBe('btn btn--danger');
    await dialog.getByRole('button', { name: 'Nonaktifkan' }).click();
    await waitForText(page.getByTestId('platform-notice'), 'Taman Melati dinonaktifkan.');
    await waitForText(melatiRow, 'Dinonaktifkan');
    await melatiRow.getByRole('button', { name: 'Aktifkan lagi' }).waitFor();

    // Whose account is that? The lookup shows their estate as suspended.
    await page.getByTestId('user-lookup').getByLabel('Email atau nomor HP').fill(resident.email);
    await page.getByTestId('user-lookup').getByRole('button', { name: 'Cari' }).click();
    const result = page.getByTestId('lookup-result');
    await waitForText(result, 'Taman Melati');
    await waitForText(result, 'Warga');
    await waitForText(page.getByTestId('platform-admins'), platformLogin.email);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'platform-03-suspended-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 2, name: 'Estates' }), 'Estates');
    await waitForText(melatiRow, 'Suspended');
    await page.getByRole('columnheader', { name: 'Active residents' }).waitFor();
    await waitForText(page.getByTestId('platform-admins'), 'Platform administrators');
    await screenshot(page, 'platform-04-suspended-en');

    const listed = await platform.get('/platform/estates?status=suspended');
    expect(listed.body.items.map((e: { name: string }) => e.name)).toEqual(['Taman Melati']);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it("the suspended estate's kiosk, resident and treasurer see a plain message, in either language", async () => {
    await kiosk.page.reload();
    await waitForText(kiosk.page.getByRole('heading', { level: 1 }), 'Perumahan dinonaktifkan');
    await screenshot(kiosk.page, 'platform-05-kiosk-suspended-id');
    await kiosk.context.close();

    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, `${server.url}/portal/login`, resident.email, resident.password);
    await waitForText(phone.page.getByRole('heading', { level: 1 }), 'Perumahan dinonaktifkan');
    await waitForText(phone.page.locator('main'), 'Data tetap tersimpan');
    expect(await noHorizontalScroll(phone.page)).toBe(true);
    await screenshot(phone.page, 'platform-06-resident-suspended-id');
    await phone.context.close();

    const office = await newPage(browser, DESKTOP);
    await signIn(office.page, `${server.url}/login`, treasurer.email, treasurer.password);
    await waitForText(office.page.getByRole('heading', { level: 1 }), 'Perumahan dinonaktifkan');
    // The choice of language survives the reload the message offers.
    await office.page.evaluate(() => localStorage.setItem('klustera.language', 'en'));
    await office.page.getByRole('button', { name: 'Coba lagi' }).click();
    await waitForText(office.page.getByRole('heading', { level: 1 }), 'Estate suspended');
    await screenshot(office.page, 'platform-07-treasurer-suspended-en');
    await office.context.close();
  });
});
