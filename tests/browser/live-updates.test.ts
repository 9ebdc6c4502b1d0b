// Live updates in real Chromium: a kiosk at the guard post and a resident's portal on a phone show a change made
// elsewhere within seconds, without a reload and well before the kiosk's 15 s poll.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, PHONE, launchChromium, newPage, pageErrors, screenshot } from './support/browser.ts';

const PIN = '246810';
const KIOSK = { width: 1280, height: 800 };
/** Shorter than the kiosk's poll (15 s): only a live update gets there in time. */
const LIVE_MS = 5_000;

let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let unitId: string;
let resident: { client: ApiClient; email: string; password: string };
let pairingCode: string;

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const base = `/estates/${estateId}`;
  unitId = (await admin.post(`${base}/units`, { code: 'A-12', type: 'rumah', occupancy: 'occupied' })).body.id;
  const person = await admin.post(`${base}/residents`, { name: 'Budi Santoso', unit_id: unitId, relation: 'owner' });
  resident = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: person.body.id });
  await admin.post(`${base}/gates`, { name: 'Gerbang Utama' });
  await admin.post(`${base}/gate/guards`, { name: 'Pak Joko', pin: PIN });
  pairingCode = (await admin.post(`${base}/devices`, { name: 'Tablet pos utama', kind: 'kiosk' })).body.pairing_code;
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('live updates in Chromium', () => {
  it('the kiosk lists a guest the resident just registered, and the portal shows a payment the office just recorded', async () => {
    const kiosk = await newPage(browser, KIOSK);
    const page = kiosk.page;
    await page.goto(`${server.url}/kiosk?estate=${estateId}`);
    await page.getByLabel('Kode pemasangan').fill(pairingCode);
    await page.getByRole('button', { name: 'Pasangkan' }).click();
    await page.getByRole('button', { name: 'Gerbang Utama' }).click();
    await page.getByRole('button', { name: 'Pak Joko' }).click();
    const pinPad = page.getByTestId('pin-pad');
    for (const digit of PIN) await pinPad.getByRole('button', { name: digit, exact: true }).click();
    await pinPad.getByRole('button', { name: 'Mulai shift' }).click();
    await page.getByTestId('on-duty').waitFor();
    // Let the first reads of the lists finish, so what follows can only come from a live update.
    await page.waitForTimeout(500);

    expect((await resident.client.post(`/estates/${estateId}/portal/passes`, { name: 'Rina Wijaya', purpose: 'Arisan' })).status).toBe(201);
    await page.getByTestId('panel-expected').filter({ hasText: 'Rina Wijaya' }).waitFor({ timeout: LIVE_MS });
    await screenshot(page, 'live-01-kiosk-expected');

    const portal = await newPage(browser, PHONE);
    await portal.page.goto(`${server.url}/portal/login`);
    await portal.page.getByLabel('Email atau nomor HP').fill(resident.email);
    await portal.page.getByLabel('Kata sandi', { exact: true }).fill(resident.password);
    await portal.page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await portal.page.waitForURL((url) => url.pathname === '/portal');
    await portal.page.goto(`${server.url}/portal/bills`);
    await portal.page.getByTestId('pay-transfer').waitFor();
    await portal.page.waitForTimeout(500);
    const paid = await admin.post(`/estates/${estateId}/payments`, {
      unit_id: unitId,
      amount: 150_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(201);
    await portal.page.getByTestId('my-payments').filter({ hasText: 'Rp 150.000' }).waitFor({ timeout: LIVE_MS });
    await screenshot(portal.page, 'live-02-portal-payment');

    // The office window on a desktop counts a proof the resident sends, without a reload.
    const office = await newPage(browser, DESKTOP);
    await office.page.goto(`${server.url}/login`);
    await office.page.getByLabel('Email atau nomor HP').fill('ketua@griya-asri.id');
    await office.page.getByLabel('Kata sandi', { exact: true }).fill('rahasia-ketua-1');
    await office.page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await office.page.waitForURL((url) => url.pathname !== '/login');
    await office.page.waitForTimeout(1_000);
    expect(await office.page.getByTestId('nav-proofs-count').count()).toBe(0);
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000a49444154789c6300010000050001',
      'hex',
    );
    const proof = await resident.client.upload(
      `/estates/${estateId}/portal/transfer-proofs`,
      { amount: '100000', paid_at: new Date().toISOString(), reference: 'BCA 1' },
      { file: { filename: 'bukti.png', content: png, type: 'image/png' } },
    );
    expect(proof.status, proof.text).toBe(201);
    await office.page.getByTestId('nav-proofs-count').filter({ hasText: '1' }).waitFor({ timeout: LIVE_MS });
    await screenshot(office.page, 'live-03-office-badge');

    for (const p of [page, portal.page, office.page]) expect(pageErrors(p)).toEqual([]);
  });
});
