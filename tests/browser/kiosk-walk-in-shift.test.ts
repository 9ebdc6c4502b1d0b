// The guard post on its 1280x800 touch screen: the walk-in form takes the whole screen with "Check in" always visible
// (also above an on-screen keyboard), checks every field at once in the app's words, and says the host was notified
// only when that is true; ending a shift shows the handover, which the next guard sees; the guard's screen has no
// unpair link, and a kiosk the office revokes shows pairing again.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { launchChromium, screenshot, waitForText } from './support/browser.ts';

const PIN = '135790';
const KIOSK = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
const units = new Map<string, string>();

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const base = `/estates/${estateId}`;
  for (const code of ['A-1', 'A-2', 'B-5']) {
    units.set(code, (await admin.post(`${base}/units`, { code, type: 'rumah', occupancy: 'occupied' })).body.id);
  }
  // A-1 has a resident who reads the portal; B-5 has one without an account.
  const reader = await admin.post(`${base}/residents`, { name: 'Bu Wulan', unit_id: units.get('A-1'), relation: 'owner' });
  await userWithRole(server.url, admin, estateId, 'resident', { resident_id: reader.body.id });
  await admin.post(`${base}/residents`, { name: 'Pak Darto', unit_id: units.get('B-5'), relation: 'owner' });
  await admin.post(`${base}/gates`, { name: 'Gerbang Utama' });
  await admin.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: PIN });
  await admin.post(`${base}/gate/guards`, { name: 'Pak Budi', pin: PIN });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function kiosk(language: 'id' | 'en'): Promise<{ context: BrowserContext; page: Page; errors: string[]; deviceId: string }> {
  const context = await browser.newContext({ viewport: KIOSK, hasTouch: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  await context.addInitScript((lang) => localStorage.setItem('klustera.language', lang), language);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const device = (await admin.post(`/estates/${estateId}/devices`, { name: `Tablet ${language}`, kind: 'kiosk' })).body;
  await page.goto(`${server.url}/kiosk?estate=${estateId}&code=${device.pairing_code}`);
  await page.getByRole('button', { name: language === 'id' ? 'Pasangkan' : 'Pair' }).tap();
  return { context, page, errors, deviceId: device.device.id };
}

async function startShift(page: Page, guard: string, language: 'id' | 'en') {
  await page.getByRole('button', { name: guard }).tap();
  for (const digit of PIN) await page.getByTestId('pin-pad').getByRole('button', { name: digit, exact: true }).tap();
  await page
    .getByTestId('pin-pad')
    .getByRole('button', { name: language === 'id' ? 'Mulai shift' : 'Start shift' })
    .tap();
  await page.getByTestId('on-duty').waitFor();
}

async function chooseUnit(page: Page, label: string, typed: string, code: string) {
  await page.getByTestId('walk-in-form').getByRole('combobox', { name: label }).fill(typed);
  await page
    .getByTestId('walk-in-unit-results')
    .getByRole('option', { name: new RegExp(code) })
    .tap();
}

function inViewport(box: { x: number; y: number; width: number; height: number } | null, height: number) {
  return box !== null && box.y >= 0 && box.y + box.height <= height;
}

describe('walk-in form on the kiosk', () => {
  it('fills the screen, checks every field at once, keeps Check in visible above the keyboard, and tells the truth about notifying', async () => {
    const { context, page, errors } = await kiosk('id');
    await startShift(page, 'Pak Joko', 'id');
    // The guard's screen has no way to unpair itself: that is the office's decision.
    expect(await page.getByRole('button', { name: /Lepas perangkat/ }).count()).toBe(0);

    await page.getByRole('button', { name: 'Tamu tanpa kartu' }).tap();
    const sheet = page.getByTestId('walk-in-sheet');
    const box = await sheet.boundingBox();
    expect(box).toMatchObject({ x: 0, y: 0, width: KIOSK.width, height: KIOSK.height });
    const submit = page.getByRole('button', { name: 'Catat masuk' });
    expect(inViewport(await submit.boundingBox(), KIOSK.height)).toBe(true);

    // Nothing filled, a bad plate and zero people: every problem at once, in Indonesian, nothing sent.
    await sheet.getByLabel('Nomor polisi').fill('B-1234!');
    await sheet.getByLabel('Jumlah orang').fill('0');
    await submit.tap();
    const alerts = sheet.getByRole('alert');
    await expect
      .poll(() => alerts.allTextContents())
      .toEqual(['Wajib diisi.', 'Pilih unit yang dituju tamu.', 'Isian belum sesuai format.', 'Angka di luar batas yang boleh.']);
    const validation = await sheet.getByLabel('Nama tamu').evaluate((el) => (el as HTMLInputElement).validationMessage);
    expect(validation).not.toBe(''); // the browser knows it is missing, but its bubble is never shown (noValidate)
    expect(await server.db.knex('gate_visits').count({ n: '*' })).toEqual([{ n: 0 }]);
    await screenshot(page, 'kiosk-walk-in-01-errors-id');

    // The tablet's on-screen keyboard takes the lower half: the footer follows the visible part.
    await page.setViewportSize({ width: KIOSK.width, height: 420 });
    await sheet.getByLabel('Nama tamu').tap();
    await expect.poll(async () => inViewport(await submit.boundingBox(), 420)).toBe(true);
    await screenshot(page, 'kiosk-walk-in-02-keyboard-id');
    await page.setViewportSize(KIOSK);

    await sheet.getByLabel('Nama tamu').fill('Dedi Kurir');
    await sheet.getByLabel('Nomor polisi').fill('B 1234 XY');
    await sheet.getByLabel('Jumlah orang').fill('2');
    await chooseUnit(page, 'Unit tujuan', 'b5', 'B-5');
    await submit.tap();
    // B-5's resident has no portal account: the guard is told to call, not that the host knows.
    await waitForText(page.getByTestId('verdict'), 'Dedi Kurir tercatat masuk. Unit B-5 belum punya akun portal');
    expect(await sheet.count()).toBe(0);
    await screenshot(page, 'kiosk-walk-in-03-not-notified-id');

    await page.getByRole('button', { name: 'Tamu tanpa kartu' }).tap();
    await sheet.getByLabel('Nama tamu').fill('Sinta');
    await chooseUnit(page, 'Unit tujuan', 'a1', 'A-1');
    await submit.tap();
    await waitForText(page.getByTestId('verdict'), 'Sinta tercatat masuk. Penghuni unit A-1 sudah diberi tahu.');
    const note = await server.db.knex('gate_notifications').where({ guest_name: 'Sinta' }).first();
    expect(note.unit_id).toBe(units.get('A-1'));
    expect(errors).toEqual([]);
    await context.close();
  });

  it('reads in English too', async () => {
    const { context, page, errors } = await kiosk('en');
    await startShift(page, 'Pak Budi', 'en');
    await page.getByRole('button', { name: 'Walk-in guest' }).tap();
    await page.getByRole('button', { name: 'Check in' }).tap();
    await expect
      .poll(() => page.getByTestId('walk-in-sheet').getByRole('alert').allTextContents())
      .toEqual(['This field is required.', 'Choose the unit the guest is visiting.']);
    await screenshot(page, 'kiosk-walk-in-04-errors-en');
    await page.getByRole('button', { name: 'Cancel' }).tap();
    expect(await page.getByTestId('walk-in-sheet').count()).toBe(0);
    await page.getByRole('button', { name: 'End shift' }).tap();
    await waitForText(page.getByTestId('handover'), 'Still inside');
    await screenshot(page, 'kiosk-handover-en');
    expect(errors).toEqual([]);
    await context.close();
  });
});

describe('shift end and pairing at the kiosk', () => {
  it('shows the handover when a shift ends, shows it to the next guard, and asks for pairing once the office revokes the kiosk', async () => {
    const { context, page, errors, deviceId } = await kiosk('id');
    await startShift(page, 'Pak Joko', 'id');
    await page.getByRole('button', { name: 'Tamu tanpa kartu' }).tap();
    await page.getByTestId('walk-in-sheet').getByLabel('Nama tamu').fill('Tamu Malam');
    await chooseUnit(page, 'Unit tujuan', 'a2', 'A-2');
    await page.getByRole('button', { name: 'Catat masuk' }).tap();
    await waitForText(page.getByTestId('verdict'), 'Tamu Malam tercatat masuk');

    await page.getByRole('button', { name: 'Selesai shift' }).tap();
    const handover = page.getByTestId('handover');
    await waitForText(handover, 'Pak Joko · Gerbang Utama');
    const counts = await handover.locator('.handover__count').allTextContents();
    expect(counts).toEqual(['Masuk1', 'Tamu tanpa kartu1', 'Ditolak0', 'Keluar0']);
    await waitForText(page.getByTestId('handover-inside'), 'Tamu Malam');
    await screenshot(page, 'kiosk-handover-01-id');

    await page.getByRole('button', { name: 'Petugas berikutnya' }).tap();
    const previous = page.locator('.handover-previous');
    await waitForText(previous, 'Serah terima shift sebelumnya');
    await previous.locator('summary').tap();
    await waitForText(page.getByTestId('handover-previous-inside'), 'Tamu Malam');
    expect(await page.getByRole('button', { name: /Lepas perangkat/ }).count()).toBe(0);
    await screenshot(page, 'kiosk-handover-02-next-guard-id');

    // The office revokes the tablet: it asks for pairing again by itself, on the estate it belonged to.
    expect((await admin.post(`/estates/${estateId}/devices/${deviceId}/revoke`)).status).toBe(200);
    await page.getByTestId('kiosk-unpaired').waitFor({ timeout: 20_000 });
    await page.getByLabel('Kode pemasangan').waitFor();
    expect(new URL(page.url()).searchParams.get('estate')).toBe(estateId);
    await screenshot(page, 'kiosk-unpaired-id');
    expect(errors).toEqual([]);
    await context.close();
  });
});
