// The guard post in real Chromium: a resident registers a guest in the portal, the guest's QR is "scanned" into the
// kiosk as a USB scanner types it, the kiosk shows the verdicts, and the guest slip reaches a network printer.
import fs from 'node:fs';
import jsQR from 'jsqr';
import { PNG } from 'pngjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { decodeEscPos, startEscPosListener, type EscPosListener } from '../support/escpos-listener.ts';
import { ADMIN, setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, PHONE, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

const PIN = '246810';

let server: TestServer;
let browser: Browser;
let printer: EscPosListener;
let admin: ApiClient;
let estateId: string;
let resident: { email: string; password: string };
let pairingCode: string;

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer();
  browser = await launchChromium();
  printer = await startEscPosListener();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const base = `/estates/${estateId}`;
  const unit = await admin.post(`${base}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' });
  const person = await admin.post(`${base}/residents`, { name: 'Budi Santoso', unit_id: unit.body.id, relation: 'owner' });
  resident = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: person.body.id });
  await admin.post(`${base}/gates`, {
    name: 'Gerbang Utama',
    printer: { connection: 'network', host: printer.host, port: printer.port, paper_width: 58 },
  });
  await admin.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: PIN });
  pairingCode = (await admin.post(`${base}/devices`, { name: 'Tablet pos utama', kind: 'kiosk' })).body.pairing_code;
});

afterAll(async () => {
  await browser?.close();
  await printer?.close();
  await server?.close();
});

/**
 * Types like a keyboard-wedge scanner: every key back to back, then Enter. (Awaiting each key would pace the burst at
 * the test's own round-trip speed, which is not what a scanner does.)
 */
async function scanWithScanner(page: Page, text: string) {
  await Promise.all([...text, 'Enter'].map((key) => page.keyboard.press(key)));
}

async function verdictIs(page: Page, verdict: 'accepted' | 'rejected') {
  await page.locator(`[data-testid="verdict"][data-verdict="${verdict}"]`).waitFor({ state: 'visible' });
  return page.getByTestId('verdict');
}

describe('guard post in Chromium', () => {
  it('portal guest pass → QR → kiosk scanner → green, then "already inside"; slip printed with guest and unit', async () => {
    // Resident, on a phone: register a guest.
    const portal = await newPage(browser, PHONE);
    await signIn(portal.page, `${server.url}/portal/login`, resident.email, resident.password);
    await portal.page.waitForURL((url) => url.pathname === '/portal');
    await portal.page.goto(`${server.url}/portal/guests`);
    await waitForText(portal.page.getByRole('heading', { level: 1 }), 'Tamu & kartu akses');
    const form = portal.page.getByTestId('guest-form');
    // Sent empty, the form says in Indonesian what is missing and what is out of range, not in the browser's bubble.
    expect(await form.getAttribute('novalidate')).not.toBeNull();
    await form.getByLabel('Jumlah orang').fill('0');
    await form.getByRole('button', { name: 'Buat kartu tamu' }).click();
    await waitForText(form.locator('.field').filter({ has: portal.page.locator('[name="name"]') }), 'Wajib diisi.');
    await waitForText(form.locator('.field').filter({ has: portal.page.locator('[name="people"]') }), 'Angka di luar batas yang boleh.');
    await form.getByLabel('Jumlah orang').fill('1');
    await form.getByLabel('Nama tamu').fill('Rina Wijaya');
    await form.getByLabel('Nomor WhatsApp tamu').fill('0813-1111-2222');
    await form.getByLabel('Keperluan').fill('Arisan');
    await form.getByRole('button', { name: 'Buat kartu tamu' }).click();
    await portal.page.getByTestId('guest-created').waitFor();
    const card = portal.page.getByTestId('pass-card').filter({ hasText: 'Rina Wijaya' });
    await card.waitFor();
    const whatsapp = await card.getByTestId('pass-whatsapp').getAttribute('href');
    expect(whatsapp).toMatch(/^https:\/\/wa\.me\/6281311112222\?text=/);
    await card.getByTestId('pass-qr').evaluate((img: HTMLImageElement) => img.decode());
    await screenshot(portal.page, 'portal-guests-01-created');

    // Decode the QR image the resident sees into its payload.
    const src = await card.getByTestId('pass-qr').getAttribute('src');
    const png = await portal.context.request.get(`${server.url}${src}`);
    expect(png.status()).toBe(200);
    const image = PNG.sync.read(await png.body());
    const payload = jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
    expect(payload).toMatch(/^KL1\.[A-Za-z0-9_-]+$/);

    // The kiosk: pair with the office's code, start a shift with the PIN.
    const kiosk = await newPage(browser, DESKTOP);
    const page = kiosk.page;
    await page.goto(`${server.url}/kiosk?estate=${estateId}`);
    await page.getByLabel('Kode pemasangan').fill(pairingCode);
    await page.getByRole('button', { name: 'Pasangkan' }).click();
    await page.getByRole('button', { name: 'Gerbang Utama' }).click();
    await page.getByRole('button', { name: 'Pak Joko' }).click();
    const pinPad = page.getByTestId('pin-pad');
    for (const digit of PIN) await pinPad.getByRole('button', { name: digit, exact: true }).click();
    await screenshot(page, 'kiosk-01-shift');
    await pinPad.getByRole('button', { name: 'Mulai shift' }).click();
    await waitForText(page.getByTestId('on-duty'), 'Pak Joko · Gerbang Utama');
    // The header names the estate: the kiosk reads it as its device, through the device cookie.
    await waitForText(page.locator('.kiosk-gate__estate'), 'Perumahan Griya Asri');
    await page.getByTestId('panel-expected').filter({ hasText: 'Rina Wijaya' }).waitFor();
    await screenshot(page, 'kiosk-02-ready');

    // Scan as a USB scanner: green with the guest's name, unit and purpose.
    // The same code again at once is the scanner repeating itself: ignored, nothing sent to the server. (Sent right
    // after the first, so a slow machine cannot push it past the 2 s repeat window before the verdict shows.)
    await scanWithScanner(page, payload!);
    await scanWithScanner(page, payload!);
    const green = await verdictIs(page, 'accepted');
    await page.waitForTimeout(300);
    expect(await page.getByTestId('verdict').getAttribute('data-verdict')).toBe('accepted');
    expect((await admin.get(`/estates/${estateId}/access-log?limit=10`)).body.total).toBe(1);
    await waitForText(green, 'SILAKAN MASUK');
    await expect(page.getByTestId('verdict-name').textContent()).resolves.toBe('Rina Wijaya');
    await waitForText(green, 'Unit A-12');
    await waitForText(green, 'Arisan');
    await screenshot(page, 'kiosk-03-accepted');

    // The slip: ESC/POS bytes at the TCP "printer", naming the guest and the unit.
    const slip = decodeEscPos(await printer.nextJob());
    const slipText = slip.lines.join('\n');
    expect(slipText).toContain('Rina Wijaya');
    expect(slipText).toContain('A-12');
    expect(slipText).toContain('Perumahan Griya Asri');
    expect(slip.images.length).toBe(1);

    // After the 2 s window the same scan is a second entry while the guest is still inside: the exit is offered.
    await page.waitForTimeout(2100);
    await scanWithScanner(page, payload!);
    const again = await verdictIs(page, 'rejected');
    await waitForText(again, 'SUDAH DI DALAM');
    await waitForText(page.getByTestId('verdict-reason'), 'Belum tercatat keluar');
    await waitForText(again, 'Rina Wijaya');
    await screenshot(page, 'kiosk-04-already-inside');

    // The guest is inside; the access log has both decisions naming the guard and gate.
    await page.getByRole('tab', { name: /Di dalam/ }).click();
    await page.getByTestId('panel-inside').filter({ hasText: 'Rina Wijaya' }).waitFor();
    const log = await admin.get(`/estates/${estateId}/access-log?limit=10`);
    expect(log.body.items.slice(0, 2).map((r: { verdict: string; reason: string | null }) => [r.verdict, r.reason])).toEqual([
      ['rejected', 'already_inside'],
      ['accepted', null],
    ]);
    expect(log.body.items[0]).toMatchObject({ guard_name: 'Pak Joko', gate_name: 'Gerbang Utama', person_name: 'Rina Wijaya' });

    expect(pageErrors(page)).toEqual([]);
    expect(pageErrors(portal.page)).toEqual([]);
    await portal.context.close();
    await kiosk.context.close();
  });

  it('keeps scans out of text fields and slow typing out of the scanner; records a walk-in', async () => {
    const kiosk = await newPage(browser, DESKTOP);
    const page = kiosk.page;
    // Same tablet as before: pair again with a fresh code.
    const fresh = await admin.post(`/estates/${estateId}/devices`, { name: 'Tablet 2', kind: 'kiosk' });
    await page.goto(`${server.url}/kiosk?estate=${estateId}&code=${fresh.body.pairing_code}`);
    await page.getByRole('button', { name: 'Pasangkan' }).click();
    await page.getByRole('button', { name: 'Pak Joko' }).click();
    for (const digit of PIN) await page.getByTestId('pin-pad').getByRole('button', { name: digit, exact: true }).click();
    await page.getByTestId('pin-pad').getByRole('button', { name: 'Mulai shift' }).click();
    await page.getByTestId('on-duty').waitFor();

    await page.getByRole('button', { name: 'Tamu tanpa kartu' }).click();
    const name = page.getByTestId('walk-in-form').getByLabel('Nama tamu');
    await name.click();
    await page.keyboard.type('Agus', { delay: 120 });
    await expect.poll(() => name.inputValue()).toBe('Agus');

    // A scan while the name field has focus: a verdict appears, the field is untouched.
    await scanWithScanner(page, '99999999');
    const red = await verdictIs(page, 'rejected');
    await waitForText(page.getByTestId('verdict-reason'), 'Kode tidak dikenal');
    await expect(name.inputValue()).resolves.toBe('Agus');
    expect(await red.getAttribute('data-reason')).toBe('unknown_code');

    await page.keyboard.type(' Kurir', { delay: 120 });
    await expect.poll(() => name.inputValue()).toBe('Agus Kurir');
    await page.getByTestId('walk-in-form').getByRole('combobox', { name: 'Unit tujuan' }).fill('a12');
    await page.getByTestId('walk-in-unit-results').getByRole('option', { name: /A-12/ }).click();
    await page.getByTestId('walk-in-form').getByLabel('Keperluan').fill('Antar paket');
    await page.getByTestId('walk-in-form').getByLabel('KTP dititipkan di pos').check();
    await screenshot(page, 'kiosk-05-walk-in');
    await page.getByRole('button', { name: 'Catat masuk' }).click();
    await waitForText(page.getByTestId('verdict'), 'Agus Kurir tercatat masuk');
    const slip = decodeEscPos(await printer.nextJob());
    expect(slip.lines.join('\n')).toContain('Agus Kurir');

    // The host sees the walk-in in the portal.
    const portal = await newPage(browser, PHONE);
    await signIn(portal.page, `${server.url}/portal/login`, resident.email, resident.password);
    await portal.page.waitForURL((url) => url.pathname === '/portal');
    await portal.page.goto(`${server.url}/portal/guests`);
    await waitForText(portal.page.locator('.portal-guests__notices'), 'Agus Kurir datang tanpa kartu (Antar paket)');
    await screenshot(portal.page, 'portal-guests-02-notified');

    // The office access log.
    const office = await newPage(browser, DESKTOP);
    await signIn(office.page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await office.page.waitForURL((url) => url.pathname !== '/login');
    await office.page.goto(`${server.url}/gate/access-log`);
    await waitForText(office.page.getByTestId('access-log'), 'Agus Kurir');
    await waitForText(office.page.getByTestId('access-log'), 'Belum tercatat keluar');
    await screenshot(office.page, 'office-access-log');

    for (const p of [page, portal.page, office.page]) expect(pageErrors(p)).toEqual([]);
    await Promise.all([kiosk.context.close(), portal.context.close(), office.context.close()]);
  });
});

describe('guard post setup in the office, in Chromium', () => {
  it('adds a gate and a guard, pairs a kiosk with the shown code, and pre-registers a guest for a unit', async () => {
    const office = await newPage(browser, DESKTOP);
    const page = office.page;
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await page.waitForURL((url) => url.pathname !== '/login');
    await page.goto(`${server.url}/gate/setup`);
    await page.getByLabel('Nama gerbang').fill('Gerbang Timur');
    await page.getByRole('button', { name: 'Tambah' }).first().click();
    await waitForText(page.locator('.gate-setup__list').first(), 'Gerbang Timur');
    await page.getByLabel('Nama petugas').fill('Pak Slamet');
    await page.getByLabel('PIN (4–8 angka)').fill('8642');
    await page.getByRole('button', { name: 'Tambah' }).nth(1).click();
    await waitForText(page.locator('.gate-setup__list').nth(1), 'Pak Slamet');
    await page.getByLabel('Nama perangkat').fill('Tablet gerbang timur');
    await page.getByRole('button', { name: 'Buat kode pemasangan' }).click();
    const code = (await page.locator('.gate-setup__code').textContent())!.trim();
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    await screenshot(page, 'office-gate-setup');

    const tablet = await newPage(browser, DESKTOP);
    await tablet.page.goto(`${server.url}/kiosk?estate=${estateId}`);
    await tablet.page.getByLabel('Kode pemasangan').fill(code.toLowerCase());
    await tablet.page.getByRole('button', { name: 'Pasangkan' }).click();
    await tablet.page.getByRole('button', { name: 'Gerbang Timur' }).click();
    await tablet.page.getByRole('button', { name: 'Pak Slamet' }).click();
    for (const digit of '8642') await tablet.page.getByTestId('pin-pad').getByRole('button', { name: digit, exact: true }).click();
    await tablet.page.getByTestId('pin-pad').getByRole('button', { name: 'Mulai shift' }).click();
    await waitForText(tablet.page.getByTestId('on-duty'), 'Pak Slamet · Gerbang Timur');
    await page.reload();
    await waitForText(page.locator('.gate-setup__list').nth(2), 'Terpasang');

    await page.goto(`${server.url}/gate/passes`);
    const form = page.getByTestId('office-pass-form');
    await form.getByPlaceholder('A-12').fill('A-12');
    await form.getByLabel('Nama tamu').fill('Teknisi PLN');
    await form.getByLabel('Keperluan').fill('Cek meteran');
    await form.getByRole('button', { name: 'Buat kartu tamu' }).click();
    await waitForText(page.getByRole('status'), 'Teknisi PLN');
    const officeCode = /Kode: (\d{8})/.exec((await page.getByRole('status').textContent())!)![1];
    await screenshot(page, 'office-passes');

    // The guard types the guest's code on the kiosk keypad.
    const pad = tablet.page.getByTestId('code-pad');
    for (const digit of officeCode) await pad.getByRole('button', { name: digit, exact: true }).click();
    await pad.getByRole('button', { name: 'Periksa' }).click();
    await waitForText(await verdictIs(tablet.page, 'accepted'), 'Teknisi PLN');

    for (const p of [page, tablet.page]) expect(pageErrors(p)).toEqual([]);
    await Promise.all([office.context.close(), tablet.context.close()]);
  });
});
