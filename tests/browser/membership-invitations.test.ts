import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { apiClient, setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
import { DESKTOP, PHONE, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/** A person who already has an account is invited into another estate and answers on the office and portal pages. */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('membership invitations in Chromium', () => {
  it('shows the invitation to the signed-in user, who accepts one and declines another', async () => {
    const { client: platform, estateId: estateA } = await setupEstate(server.url, 'Perumahan Griya Asri');
    const estateB = (await platform.post('/estates', { name: 'Perumahan Bukit Indah' })).body.id as string;
    const staff = await userWithRole(server.url, platform, estateA, 'staff');
    expect((await platform.post(`/estates/${estateB}/users`, { name: 'Staf Baru', email: staff.email, role: 'treasurer' })).status).toBe(
      201,
    );
    expect((await platform.post(`/estates/${estateA}/users`, { name: 'Staf Jaga Malam', email: staff.email, role: 'guard' })).status).toBe(
      201,
    );

    // The office sees the sent invitation as pending, with only what it typed.
    const office = await newPage(browser, DESKTOP);
    await signIn(office.page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await waitForText(office.page.getByTestId('estate-name'), 'Perumahan Griya Asri');
    await office.page.goto(`${server.url}/users`);
    const row = office.page.getByTestId('pending-invitation-row');
    await waitForText(row, 'Staf Jaga Malam');
    await waitForText(row, 'Menunggu persetujuan');

    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, staff.email, staff.password);
    const banner = page.getByTestId('pending-invitations');
    await waitForText(banner, 'Perumahan Bukit Indah mengundang Anda sebagai Bendahara.');
    await waitForText(banner, 'Perumahan Griya Asri mengundang Anda sebagai Satpam.');
    await screenshot(page, 'desktop-membership-invitations');

    await banner.locator('.pending-invitations__item', { hasText: 'Satpam' }).getByRole('button', { name: 'Tolak' }).click();
    await banner.locator('.pending-invitations__item', { hasText: 'Satpam' }).waitFor({ state: 'detached' });
    await banner.locator('.pending-invitations__item', { hasText: 'Bukit Indah' }).getByRole('button', { name: 'Terima' }).click();
    await waitForText(banner, 'Anda sekarang terdaftar di Perumahan Bukit Indah.');

    const me = await staff.client.get('/auth/me');
    expect(me.body.memberships.map((m: { estate_id: string; role: string }) => `${m.estate_id}:${m.role}`).sort()).toEqual(
      [`${estateA}:staff`, `${estateB}:treasurer`].sort(),
    );
    expect((await staff.client.get('/membership-invitations')).body.items).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await office.context.close();
  });

  it('shows it on the resident portal in English too', async () => {
    const login = await apiClient(server.url).post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' });
    const estateA = login.body.memberships.find((m: { estate_name: string }) => m.estate_name === 'Perumahan Griya Asri').estate_id;
    const admin = apiClient(server.url);
    await admin.post('/auth/login', { login: 'ketua@griya-asri.id', password: 'rahasia-ketua-1' });
    const estateD = (await admin.post('/estates', { name: 'Perumahan Damai' })).body.id as string;
    const resident = await userWithRole(server.url, admin, estateA, 'resident');
    const residentD = (await admin.post(`/estates/${estateD}/residents`, { name: 'Warga Damai' })).body.id;
    await admin.post(`/estates/${estateD}/users`, { name: 'Warga Damai', email: resident.email, role: 'resident', resident_id: residentD });

    const { page } = await newPage(browser, PHONE);
    await signIn(page, `${server.url}/portal/login`, resident.email, resident.password);
    await waitForText(page.getByTestId('pending-invitations'), 'Perumahan Damai mengundang Anda sebagai Warga.');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByTestId('pending-invitations'), 'Perumahan Damai invites you as Resident.');
    await screenshot(page, 'portal-membership-invitation');
    expect(pageErrors(page)).toEqual([]);
  });
});
