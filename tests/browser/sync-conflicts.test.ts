import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { platformDb } from '../../server/sync/platform-db.ts';
import { ADMIN, type ApiClient } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The Sinkronisasi page lists a value that lost a per-field merge: a resident's phone changed on the office desktop
 * (SQLite) and on the hosted instance (PostgreSQL, `pgUrl`) while apart. The office reads it in Indonesian and
 * English at 1366×768 and uses the losing value instead, which reaches the hosted instance with the next sync.
 */
let sites: SyncSites;
let browser: Browser;
let office: ApiClient;
let cloudAdmin: ApiClient;
let estateId: string;
let residentId: string;
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ office, cloudAdmin, estateId } = sites);
  const code = (await cloudAdmin.post('/sync/link-codes')).body.code as string;
  expect((await office.post(e('/sync/link'), { cloud_url: sites.cloud.url, code })).status).toBe(201);
  const unit = (await office.post(e('/units'), { code: 'B-7', block: 'B' })).body.id;
  residentId = (await office.post(e('/residents'), { name: 'Budi Santoso', phone: '081111111111', unit_id: unit, relation: 'owner' })).body
    .id;
  expect((await office.post(e('/sync/run'))).body.ok).toBe(true);
  expect((await office.patch(e(`/residents/${residentId}`), { phone: '082222222222' })).status).toBe(200);
  await new Promise((r) => setTimeout(r, 5));
  expect((await cloudAdmin.patch(e(`/residents/${residentId}`), { phone: '083333333333' })).status).toBe(200);
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sites?.close();
});

describe('losing values on the Sinkronisasi page', () => {
  it('shows both values and which side won, in Indonesian and English, and uses the losing one', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${sites.desktop.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${sites.desktop.url}/settings/sync`);
    await page.getByTestId('sync-run').click();
    const card = page.getByTestId('sync-conflicts');
    await waitForText(card, 'Perubahan yang kalah saat sinkronisasi');
    await waitForText(card, 'Warga Budi Santoso · Nomor HP');
    await waitForText(card, 'Dipakai sekarang: +6283333333333');
    await waitForText(card, 'Kalah: +6282222222222');
    await waitForText(card, 'dari server awan');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'sync-conflicts-01-desktop-id');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(card, 'Changes that lost in sync');
    await waitForText(card, 'Resident Budi Santoso · Phone');
    await screenshot(page, 'sync-conflicts-02-desktop-en');
    await card.getByRole('button', { name: 'Use this value' }).click();
    await card.waitFor({ state: 'detached' });
    expect((await office.get(e(`/residents/${residentId}`))).body.phone).toBe('+6282222222222');
    expect((await office.post(e('/sync/run'))).body.ok).toBe(true);
    expect((await cloudAdmin.get(e(`/residents/${residentId}`))).body.phone).toBe('+6282222222222');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

describe('a digest alert on the Sinkronisasi page', () => {
  it('names the table changed behind sync’s back, in Indonesian and English', async () => {
    const db = platformDb(sites.desktop.app);
    await db('residents').where({ id: residentId }).update({ name: 'Budi (diubah langsung)' });
    expect((await office.post(e('/units'), { code: 'B-8', block: 'B' })).status).toBe(201);
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${sites.desktop.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${sites.desktop.url}/settings/sync`);
    await page.getByTestId('sync-run').click();
    const alert = page.getByTestId('sync-digest-alert');
    await waitForText(alert, 'Data di komputer ini dan di server awan berbeda pada tabel: residents.');
    await screenshot(page, 'sync-conflicts-03-digest-id');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(alert, 'differ in these tables: residents.');
    await screenshot(page, 'sync-conflicts-04-digest-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
