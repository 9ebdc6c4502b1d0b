import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiClient, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, PHONE, launchChromium, newPage, pageErrors, screenshot, signIn, waitForPath, waitForText } from './support/browser.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
/** The shared sample: 150 units (blocks A–E × 28 houses and 10 shophouses) the way a treasurer keeps them. */
const SAMPLE_XLSX = path.join(here, '../fixtures/data-warga-griya-asri.xlsx');

const ADMIN = { name: 'Ibu Ketua', email: 'ketua@griya-asri.id', phone: '081234500001', password: 'rahasia-ketua-1' };

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/**
 * The first test sets the estate up through the UI; the others also run alone (`-t`), so they set it up through the
 * API when that has not happened, and sign in through the API to prepare data.
 */
async function ensureEstate(): Promise<{ client: ApiClient; estateId: string }> {
  const client = apiClient(server.url);
  const health = await client.get('/health');
  if (health.body.setup_required) {
    const setup = await client.post('/setup', { estate: { name: 'Perumahan Griya Asri' }, admin: { ...ADMIN } });
    expect(setup.status).toBe(201);
  }
  const login = await client.post('/auth/login', { login: ADMIN.email, password: ADMIN.password });
  expect(login.status).toBe(200);
  return { client, estateId: login.body.memberships[0].estate_id };
}

describe('office foundation in Chromium', () => {
  it('runs setup, signs out and in, imports 150 units, finds A-12, shows a field error, switches to English', async () => {
    const { context, page } = await newPage(browser, DESKTOP);

    // First run: any address leads to setup.
    await page.goto(`${server.url}/units`);
    await waitForPath(page, '/setup');
    await waitForText(page.getByRole('heading', { level: 1 }), 'Selamat datang di Klustera');
    await screenshot(page, 'desktop-01-setup');
    await page.getByLabel('Nama perumahan').fill('Perumahan Griya Asri');
    await page.getByLabel('Alamat').fill('Jl. Melati Raya No. 1, Bekasi');
    await page.getByLabel('RT', { exact: false }).first().fill('003');
    await page.getByLabel(/^RW/).fill('011');
    expect(await page.getByLabel('Zona waktu').inputValue()).toBe('Asia/Jakarta');
    await page.getByLabel('Nama lengkap').fill(ADMIN.name);
    await page.getByLabel(/^Email/).fill(ADMIN.email);
    await page.getByLabel(/^Nomor HP/).fill(ADMIN.phone);
    await page.getByLabel('Kata sandi', { exact: true }).fill(ADMIN.password);
    await page.getByLabel('Ulangi kata sandi').fill(ADMIN.password);
    await page.getByRole('button', { name: 'Siapkan Klustera' }).click();

    // Lands signed in, in the office shell (on the dashboard); the units list is one click away and empty.
    await waitForPath(page, '/');
    await waitForText(page.getByTestId('estate-name'), 'Perumahan Griya Asri');
    await screenshot(page, 'desktop-02-home');
    await page.locator('.sidebar').getByRole('link', { name: 'Unit rumah' }).click();
    await waitForPath(page, '/units');
    await waitForText(page.getByRole('heading', { level: 1 }), 'Unit rumah');
    await waitForText(page.getByTestId('units-total'), '0 data');
    await screenshot(page, 'desktop-02-units-empty');

    // Sign out through the user menu; the office then asks for a sign-in.
    await page.getByRole('button', { name: 'Menu pengguna' }).click();
    await page.getByRole('menuitem', { name: 'Keluar' }).click();
    await waitForPath(page, '/login');
    await page.goto(`${server.url}/import`);
    await waitForPath(page, '/login');

    // A wrong password shows the message for INVALID_CREDENTIALS; the right one goes back where we were headed.
    await page.getByLabel('Email atau nomor HP').fill(ADMIN.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill('salah-sandi-123');
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await waitForText(page.getByRole('alert'), 'Email/nomor HP atau kata sandi salah.');
    await screenshot(page, 'desktop-03-login-error');
    await page.getByLabel('Kata sandi', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await waitForPath(page, '/import');

    // Import: preview (dry run) first, then the real import.
    await waitForText(page.getByRole('heading', { level: 1 }), 'Impor data unit & warga');
    await screenshot(page, 'desktop-04-import-choose');
    await page.locator('input[type=file]').setInputFiles(SAMPLE_XLSX);
    await page.getByTestId('import-preview').waitFor();
    expect(await page.getByTestId('summary-units_create').locator('.stat__value').textContent()).toBe('150');
    expect(await page.getByTestId('summary-error_rows').locator('.stat__value').textContent()).toBe('0');
    await waitForText(page.getByTestId('import-rows'), 'A-12');
    await screenshot(page, 'desktop-05-import-preview');
    // Nothing is written by the preview.
    const before = await page.evaluate(async () => (await fetch('/api/v1/auth/me')).json());
    const estateId = before.memberships[0].estate_id as string;
    const listed = await page.evaluate(async (id) => (await fetch(`/api/v1/estates/${id}/units`)).json(), estateId);
    expect(listed.total).toBe(0);

    await page.getByRole('button', { name: 'Impor 150 unit' }).click();
    await page.getByTestId('import-done').waitFor();
    await waitForText(page.getByTestId('import-done'), '150 unit baru');
    await screenshot(page, 'desktop-06-import-done');

    // The units list pages on the server and counts all 150.
    await page.getByRole('link', { name: 'Lihat daftar unit' }).click();
    await waitForPath(page, '/units');
    await waitForText(page.getByTestId('units-total'), '150 data');
    await waitForText(page.getByTestId('page-range'), '1–50 dari 150');
    expect(await page.locator('tbody tr').count()).toBe(50);
    await screenshot(page, 'desktop-07-units-list');

    await page.getByRole('button', { name: 'Berikutnya' }).click();
    await waitForText(page.getByTestId('page-range'), '51–100 dari 150');

    // Search is debounced and server-side; A-12 is found.
    await page.getByRole('searchbox', { name: 'Cari' }).fill('A-12');
    await waitForText(page.getByTestId('units-total'), /^1 data$/);
    const codes = await page.locator('tbody tr td:first-child').allTextContents();
    expect(codes).toEqual(['A-12']);
    expect(new URL(page.url()).searchParams.get('q')).toBe('A-12');
    await screenshot(page, 'desktop-08-units-search');

    // Unit detail: residents and history from the import.
    await page.getByRole('link', { name: 'A-12', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'A-12');
    await page.locator('.people__item').first().waitFor();
    await page.locator('table tbody tr').first().waitFor();
    await screenshot(page, 'desktop-09-unit-detail');

    // A bad value is refused by the server and the message appears at that field.
    await page.getByRole('link', { name: 'Ubah' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Ubah unit A-12');
    await page.getByLabel('Luas tanah (m²)').fill('-5');
    await page.getByRole('button', { name: 'Simpan' }).click();
    const landField = page.locator('.field', { has: page.locator('input[name=land_area_m2]') });
    // The server's own reason, without a generic "invalid input" before it.
    await waitForText(landField.locator('.field__error'), 'Tidak boleh negatif.');
    expect(await landField.locator('.field__error').textContent()).not.toContain('Isian tidak valid.');
    expect(await landField.locator('.field__error').getAttribute('data-code')).toBe('VALIDATION_FAILED');
    expect(await page.getByLabel('Luas tanah (m²)').getAttribute('aria-invalid')).toBe('true');
    expect(await page.locator('.field__error').count()).toBe(1);
    await screenshot(page, 'desktop-10-unit-field-error');

    // Switching to English changes the labels (and the field error's text), and survives a reload.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Edit unit A-12');
    await page.getByLabel('Land area (m²)').waitFor();
    // The reason comes from the server, which words it in Indonesian.
    await waitForText(landField.locator('.field__error'), 'Tidak boleh negatif.');
    await waitForText(page.locator('.sidebar'), 'Residents');
    await screenshot(page, 'desktop-11-english');
    await page.reload();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Edit unit A-12');
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Ubah unit A-12');

    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);

  it('creates residents and invites, and the invitee signs in to the phone portal', async () => {
    const { client, estateId } = await ensureEstate();
    const existing = await client.get(`/estates/${estateId}/units?q=B-7`);
    if (!existing.body.items.some((unit: { code: string }) => unit.code === 'B-7')) {
      expect((await client.post(`/estates/${estateId}/units`, { code: 'B-7', type: 'rumah', occupancy: 'occupied' })).status).toBe(201);
    }
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await waitForPath(page, '/');

    // A resident record first: accounts for residents are linked to one.
    await page.goto(`${server.url}/residents/new`);
    await page.getByLabel('Nama lengkap').fill('Pak Yohanes Tanujaya');
    await page.getByLabel(/^Nomor HP/).fill('0812-9999-0000');
    // The unit box resolves B-7 to its id through the server's search.
    const unitSearched = page.waitForResponse((response) => response.url().includes('/units?q=B-7'));
    await page.getByLabel(/^Unit/).fill('B-7');
    await page.getByLabel('Hubungan dengan unit').selectOption('tenant');
    await page.getByLabel('Tanggal mulai tinggal').fill('2026-01-15');
    await page.getByLabel('Tampilkan di direktori warga').check();
    await screenshot(page, 'desktop-12-resident-form');
    await unitSearched;
    await page.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'B-7');
    await waitForText(page.locator('.people'), 'Pak Yohanes Tanujaya');

    await page.goto(`${server.url}/residents?q=Tanujaya`);
    await waitForText(page.getByTestId('residents-total'), /^1 data$/);
    await waitForText(page.locator('tbody'), '0812-9999-0000');
    await screenshot(page, 'desktop-13-residents');

    // Invite him as a resident: code, link and a WhatsApp share link.
    await page.goto(`${server.url}/users`);
    await page.getByLabel('Peran').selectOption('resident');
    await page.getByLabel('Data warga').fill('Tanujaya');
    await page.locator('datalist option').first().waitFor({ state: 'attached' });
    const suggestion = await page.locator('datalist option').first().getAttribute('value');
    expect(suggestion).toBe('Pak Yohanes Tanujaya (B-7)');
    await page.getByLabel('Data warga').fill(suggestion!);
    await page.getByLabel(/^Nomor HP/).fill('081299990000');
    await page.getByRole('button', { name: 'Tambah pengguna' }).click();
    await page.getByTestId('invite-card').waitFor();
    const code = (await page.getByTestId('invite-code').textContent())!.trim();
    expect(code.length).toBeGreaterThan(3);
    expect(await page.getByTestId('invite-link').getAttribute('href')).toContain(`/portal/invite/${code}`);
    expect(await page.getByRole('link', { name: 'Kirim lewat WhatsApp' }).getAttribute('href')).toMatch(/^https:\/\/wa\.me\//);
    await waitForText(page.getByTestId('users-table'), 'Diundang');
    await screenshot(page, 'desktop-14-invite');
    await context.close();

    // On a phone: the invite link, a password, and the portal.
    const phone = await newPage(browser, PHONE);
    await phone.page.goto(`${server.url}/portal/invite/${code}`);
    await waitForText(phone.page.getByRole('heading', { level: 1 }), 'Undangan ke Perumahan Griya Asri');
    await screenshot(phone.page, 'portal-01-invite');
    await phone.page.getByLabel('Kata sandi', { exact: true }).fill('sandi-yohanes-1');
    await phone.page.getByLabel('Ulangi kata sandi').fill('sandi-yohanes-2');
    await phone.page.getByRole('button', { name: 'Buat kata sandi & masuk' }).click();
    await waitForText(phone.page.locator('.field__error'), 'Kedua kata sandi tidak sama.');
    await phone.page.getByLabel('Ulangi kata sandi').fill('sandi-yohanes-1');
    await phone.page.getByRole('button', { name: 'Buat kata sandi & masuk' }).click();
    await waitForPath(phone.page, '/portal');
    await waitForText(phone.page.getByRole('heading', { level: 1 }), 'Halo, Pak Yohanes Tanujaya');
    await screenshot(phone.page, 'portal-02-home');
    // The start page leads to the resident's bills.
    await phone.page.getByTestId('tile-bills').click();
    await waitForPath(phone.page, '/portal/bills');
    await waitForText(phone.page.getByRole('heading', { level: 1 }), 'Tagihan saya');
    await phone.page.goBack();
    await waitForPath(phone.page, '/portal');

    // Sign out and back in with the phone number on the portal's own sign-in.
    await phone.page.getByRole('button', { name: 'Menu pengguna' }).click();
    await phone.page.getByRole('menuitem', { name: 'Keluar' }).click();
    await waitForPath(phone.page, '/portal/login');
    await waitForText(phone.page.getByRole('heading', { level: 1 }), 'Masuk Portal Warga');
    await screenshot(phone.page, 'portal-03-login');
    await signIn(phone.page, `${server.url}/portal/login`, '081299990000', 'sandi-yohanes-1');
    await waitForPath(phone.page, '/portal');
    await waitForText(phone.page.getByRole('heading', { level: 1 }), 'Halo, Pak Yohanes Tanujaya');
    expect(pageErrors(phone.page)).toEqual([]);
    await phone.context.close();
  }, 120_000);

  it('previews an import with row errors and an unrecognised column, and re-maps it', async () => {
    await ensureEstate();
    const { context, page } = await newPage(browser, DESKTOP);
    // Signing in from a page that asks for it leads back to that page.
    await signIn(page, `${server.url}/import`, ADMIN.email, ADMIN.password);
    await waitForPath(page, '/import');

    const csv = [
      'Blok,No,Kolom Tambahan,No HP',
      'F,1,Budi Santoso,081234567890',
      'F,1,Dewi Lestari,081234567891',
      'F,2,Eko Pratama,123',
      'F,3,Sari Rahayu,',
    ].join('\n');
    await page.locator('input[type=file]').setInputFiles({ name: 'blok-f.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('import-preview').waitFor();

    // Every row error is listed with its row number.
    await screenshot(page, 'desktop-15-import-errors');
    const errors = page.getByTestId('import-errors');
    await waitForText(errors.locator('tbody tr').last(), 'F-2');
    const errorRows = await errors.locator('tbody tr td:first-child').allTextContents();
    expect(errorRows).toEqual(['3', '4']);
    expect(await page.getByTestId('summary-error_rows').locator('.stat__value').textContent()).toBe('2');
    expect(await page.getByTestId('summary-residents_create').locator('.stat__value').textContent()).toBe('0');

    // The unrecognised header gets a mapping editor; mapping it to the owner re-runs the preview with residents.
    const mapping = page.getByTestId('column-mapping');
    await waitForText(mapping, 'Kolom Tambahan');
    await screenshot(page, 'desktop-16-import-mapping');
    await mapping.getByLabel('Kolom Tambahan').selectOption('owner_name');
    await mapping.getByRole('button', { name: 'Periksa ulang dengan pencocokan ini' }).click();
    await waitForText(page.getByTestId('summary-residents_create').locator('.stat__value'), /^2$/);
    expect(await page.getByTestId('summary-units_create').locator('.stat__value').textContent()).toBe('2');
    await waitForText(page.getByTestId('import-rows'), 'Budi Santoso');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  }, 120_000);
});
