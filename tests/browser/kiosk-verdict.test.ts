// The kiosk's verdict screen on its 1280×800 touch screen: it returns to "ready" by itself (or at a touch), and a
// guest scanned in again while still inside is offered the exit instead of being turned away as "used".
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { setupEstate, startTestServer, type ApiClient, type TestServer } from '../support/server.ts';
import { launchChromium, screenshot, waitForText } from './support/browser.ts';

const PIN = '246810';
const KIOSK = { width: 1280, height: 800 };
// VERDICT_RETURN_MS in renderer/src/gate/KioskScanScreen.tsx, plus room for a slow machine.
const RETURN_MS = 6000;

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let unitId: string;

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const base = `/estates/${estateId}`;
  unitId = (await admin.post(`${base}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' })).body.id;
  await admin.post(`${base}/gates`, { name: 'Gerbang Utama' });
  await admin.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: PIN });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

async function kioskOnShift(language: 'id' | 'en'): Promise<{ context: BrowserContext; page: Page; errors: string[] }> {
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
  return { context, page, errors };
}

async function guestPass(name: string): Promise<string> {
  const res = await admin.post(`/estates/${estateId}/passes`, { kind: 'guest', unit_id: unitId, name, purpose: 'Arisan' });
  expect(res.status, res.text).toBe(201);
  return res.body.qr_payload;
}

/** A keyboard-wedge scanner: the whole code as one burst, then Enter. */
async function scan(page: Page, text: string) {
  await Promise.all([...text, 'Enter'].map((key) => page.keyboard.press(key)));
}

const verdictState = (page: Page) => page.getByTestId('verdict').getAttribute('data-verdict');

describe('kiosk verdict screen at 1280×800', () => {
  for (const language of ['id', 'en'] as const) {
    const text =
      language === 'id'
        ? {
            ready: 'Siap memindai',
            inside: 'SUDAH DI DALAM',
            reason: 'Belum tercatat keluar',
            offer: 'Catat keluar?',
            done: 'tercatat keluar',
          }
        : { ready: 'Ready to scan', inside: 'ALREADY INSIDE', reason: 'Not checked out yet', offer: 'Check out?', done: 'checked out' };

    it(`returns to ready by itself and at a touch; offers the exit to a guest already inside (${language})`, async () => {
      const { context, page, errors } = await kioskOnShift(language);
      const name = `Rina ${language}`;
      const payload = await guestPass(name);

      await scan(page, payload);
      await page.locator('[data-testid="verdict"][data-verdict="accepted"]').waitFor();
      const shownAt = Date.now();
      // Back to ready without anyone touching it, after the few seconds the guard needs to read it.
      await waitForText(page.getByTestId('verdict'), text.ready);
      const waited = Date.now() - shownAt;
      expect(waited).toBeGreaterThan(RETURN_MS - 1500);
      expect(waited).toBeLessThan(RETURN_MS + 1500);
      expect(await verdictState(page)).toBe('idle');

      // Scanned in again while inside: amber "already inside" with the exit on offer, not red "used".
      await page.waitForTimeout(2100); // past the scanner's repeat window
      await scan(page, payload);
      const inside = page.locator('[data-testid="verdict"][data-reason="already_inside"]');
      await inside.waitFor();
      await waitForText(inside, text.inside);
      await waitForText(page.getByTestId('verdict-reason'), text.reason);
      await waitForText(inside, name);
      const offer = page.getByTestId('verdict-checkout');
      await waitForText(offer, text.offer);
      expect((await offer.boundingBox())!.height).toBeGreaterThanOrEqual(48);
      await screenshot(page, `kiosk-verdict-already-inside-${language}`);

      await offer.tap();
      await waitForText(page.locator('[data-testid="verdict"][data-verdict="notice"]'), `${name} ${text.done}`);
      const inside_now = await admin.get(`/estates/${estateId}/gate/inside`);
      expect(inside_now.body.items.map((v: { name: string }) => v.name)).not.toContain(name);
      const log = await admin.get(`/estates/${estateId}/access-log?limit=1`);
      expect(log.body.items[0]).toMatchObject({ direction: 'out', verdict: 'accepted', person_name: name });

      // A touch anywhere on a verdict returns to ready at once.
      await page.getByTestId('verdict').tap();
      await waitForText(page.getByTestId('verdict'), text.ready);
      await page.waitForTimeout(2100);
      await scan(page, payload);
      await page.locator('[data-testid="verdict"][data-reason="used_up"]').waitFor();
      const touchedAt = Date.now();
      await page.getByTestId('verdict').tap();
      await waitForText(page.getByTestId('verdict'), text.ready);
      expect(Date.now() - touchedAt).toBeLessThan(1500);

      expect(errors).toEqual([]);
      await context.close();
    }, 60_000);
  }
});
