// The guard's walk-in form at the kiosk's touch screen: 300 units in blocks A–F, the guest visits one in block F
// (beyond any first page of codes), the guard finds it by typing and taps it, and the walk-in is recorded there.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { launchChromium, pageErrors, screenshot, waitForText } from './support/browser.ts';

const PIN = '246810';
const KIOSK = { width: 1280, height: 800 };

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
const unitIds = new Map<string, string>();

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const base = `/estates/${estateId}`;
  for (const block of ['A', 'B', 'C', 'D', 'E', 'F']) {
    for (let n = 1; n <= 50; n++) {
      const res = await admin.post(`${base}/units`, { code: `${block}-${n}`, type: 'rumah', occupancy: 'occupied' });
      unitIds.set(res.body.code, res.body.id);
    }
  }
  await admin.post(`${base}/residents`, {
    name: 'Rahmat Hidayat',
    unit_id: unitIds.get('F-27'),
    relation: 'owner',
    directory_opt_in: true,
  });
  await admin.post(`${base}/gates`, { name: 'Gerbang Utama' });
  await admin.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: PIN });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

/** A paired kiosk on shift, on a touch screen, in `language`. */
async function kioskOnShift(language: 'id' | 'en'): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport: KIOSK, hasTouch: true, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  await context.addInitScript((lang) => localStorage.setItem('klustera.language', lang), language);
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  const code = (await admin.post(`/estates/${estateId}/devices`, { name: `Tablet ${language}`, kind: 'kiosk' })).body.pairing_code;
  await page.goto(`${server.url}/kiosk?estate=${estateId}&code=${code}`);
  await page.getByRole('button', { name: language === 'id' ? 'Pasangkan' : 'Pair' }).tap();
  await page.getByRole('button', { name: 'Pak Joko' }).tap();
  for (const digit of PIN) await page.getByTestId('pin-pad').getByRole('button', { name: digit, exact: true }).tap();
  await page
    .getByTestId('pin-pad')
    .getByRole('button', { name: language === 'id' ? 'Mulai shift' : 'Start shift' })
    .tap();
  await page.getByTestId('on-duty').waitFor();
  expect(errors).toEqual([]);
  return { context, page };
}

describe('walk-in unit search at the kiosk', () => {
  it('finds a block F unit among 300 by code or by resident, with touch-sized rows, and records the walk-in there', async () => {
    const { context, page } = await kioskOnShift('id');
    await page.getByRole('button', { name: 'Tamu tanpa kartu' }).tap();
    const form = page.getByTestId('walk-in-form');
    await form.getByLabel('Nama tamu').fill('Sari Kurir');

    // "12" is a house number in every block: all six come back, in block order.
    const box = form.getByRole('combobox', { name: 'Unit tujuan' });
    await box.tap();
    await page.keyboard.type('12', { delay: 40 });
    const results = page.getByTestId('walk-in-unit-results');
    await expect.poll(() => results.getByRole('option').allTextContents()).toEqual(['A-12', 'B-12', 'C-12', 'D-12', 'E-12', 'F-12']);

    // The resident's name finds the house too, and rows are big enough for a gloved finger.
    await box.fill('rahmat');
    await waitForText(results.getByRole('option'), 'Rahmat Hidayat');
    await box.fill('f-027');
    const row = results.getByRole('option', { name: /F-27/ });
    await waitForText(row, 'F-27');
    expect((await row.boundingBox())!.height).toBeGreaterThanOrEqual(48);
    await screenshot(page, 'kiosk-06-walk-in-unit-search-id');
    await row.tap();
    await waitForText(page.getByTestId('walk-in-unit-chosen'), 'F-27');

    await form.getByLabel('Keperluan').fill('Antar paket');
    await screenshot(page, 'kiosk-07-walk-in-unit-chosen-id');
    await page.getByRole('button', { name: 'Catat masuk' }).tap();
    await waitForText(page.getByTestId('verdict'), 'Sari Kurir tercatat masuk');
    const visit = await server.db.knex('gate_visits').where({ name: 'Sari Kurir' }).first();
    expect(visit.unit_id).toBe(unitIds.get('F-27'));
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('works from a USB keyboard in English: arrows and Enter choose, an unchosen unit is named, not sent', async () => {
    const { context, page } = await kioskOnShift('en');
    await page.getByRole('button', { name: 'Walk-in guest' }).click();
    const form = page.getByTestId('walk-in-form');
    await form.getByLabel('Guest name').fill('Tono');
    await page.getByRole('button', { name: 'Check in' }).click();
    await waitForText(form.getByRole('alert'), 'Choose the unit the guest is visiting.');
    expect(await server.db.knex('gate_visits').where({ name: 'Tono' }).first()).toBeUndefined();

    const box = form.getByRole('combobox', { name: 'Visiting unit' });
    await box.click();
    await page.keyboard.type('f4', { delay: 40 });
    const results = page.getByTestId('walk-in-unit-results');
    await expect
      .poll(() => results.getByRole('option').allTextContents())
      .toEqual(['F-4', 'F-40', 'F-41', 'F-42', 'F-43', 'F-44', 'F-45', 'F-46', 'F-47', 'F-48', 'F-49']);
    await page.keyboard.press('ArrowDown');
    await screenshot(page, 'kiosk-08-walk-in-unit-search-en');
    await page.keyboard.press('Enter');
    await waitForText(page.getByTestId('walk-in-unit-chosen'), 'F-40');
    await page.getByRole('button', { name: 'Check in' }).click();
    await waitForText(page.getByTestId('verdict'), 'Tono');
    expect((await server.db.knex('gate_visits').where({ name: 'Tono' }).first()).unit_id).toBe(unitIds.get('F-40'));
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
