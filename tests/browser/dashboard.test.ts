import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The treasurer's dashboard: a new estate sees its first steps instead of zeros; an estate with bills and spending
 * reads any month's billed, collected and spent by tapping its column on a touch screen.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  ({ client: admin, estateId } = await setupEstate(server.url));
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

const e = (p: string) => `/estates/${estateId}${p}`;

describe('dashboard in Chromium', () => {
  it('shows a new estate the first steps at 1366x768, ticking each off as it is done', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    const steps = page.getByTestId('dashboard-first-steps');
    await waitForText(steps, 'Mulai di sini');
    expect(await steps.locator('[data-done="true"]').count()).toBe(0);
    await waitForText(steps.locator('[data-step="units"]'), 'Impor unit dan warga');
    await waitForText(steps.locator('[data-step="invoices"]'), 'Buat tagihan pertama');
    expect(await page.getByTestId('billed-collected-chart').count()).toBe(0);
    await screenshot(page, 'dashboard-first-steps-desktop');

    // The steps lead where they say.
    await steps.locator('[data-step="fee_types"]').getByRole('link').click();
    await page.waitForURL(`${server.url}/fee-types`);

    const unit = await admin.post(e('/units'), { code: 'A-1', block: 'A' });
    expect(unit.status).toBe(201);
    await page.goto(`${server.url}/`);
    await waitForText(steps.locator('[data-step="units"]'), 'Selesai');
    expect(await steps.locator('[data-step="units"]').getAttribute('data-done')).toBe('true');
    expect(await steps.locator('[data-step="invoices"]').getAttribute('data-done')).toBe('false');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(steps, 'Start here');
    await screenshot(page, 'dashboard-first-steps-desktop-en');
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('reads out billed, collected and spending for a tapped month on a 1280x800 touch screen', async () => {
    const cal = (await admin.get(e('/calendar'))).body as { period: string; today: string };
    const units = (await admin.get(e('/units'))).body.items as Array<{ id: string }>;
    expect(
      (await admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 100_000, basis: 'flat', effective_from: cal.period })).status,
    ).toBe(201);
    const run = await admin.post(e('/billing-runs'), { period: cal.period });
    expect(run.status, run.text).toBeLessThan(300);
    expect(
      (await admin.post(e('/payments'), { unit_id: units[0].id, amount: 100_000, method: 'cash', paid_at: new Date().toISOString() }))
        .status,
    ).toBe(201);
    const cash = (await admin.get(e('/cashbook/accounts'))).body.items[0].id;
    const spent = await admin.post(e('/cashbook/entries'), {
      account_id: cash,
      direction: 'out',
      amount: 35_000,
      category: 'electricity',
      entry_date: cal.today,
      description: 'Listrik pos jaga',
    });
    expect(spent.status, spent.text).toBe(201);

    const context = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      hasTouch: true,
      locale: 'en-US',
      timezoneId: 'Asia/Jakarta',
    });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    const chart = page.getByTestId('billed-collected-chart');
    await chart.waitFor();
    expect(await page.getByTestId('dashboard-first-steps').count()).toBe(0);
    await waitForText(page.getByTestId('stat-spending'), 'Rp 35.000');
    const readout = page.getByTestId('chart-readout');
    // The current month is read out before any tap, with the figures the server counted.
    const month = (await admin.get(e('/dashboard'))).body.this_month as { billed: number; collected: number };
    expect(month.billed).toBeGreaterThan(0);
    expect(month.collected).toBe(100_000);
    const rp = (n: number) => `Rp ${n.toLocaleString('id-ID')}`;
    // The mouse that clicked "Masuk" may rest over the chart: a pointed-at month is shown only while it is there.
    await page.mouse.move(0, 0);
    await waitForText(readout.locator('[data-series="billed"]'), rp(month.billed));
    await waitForText(readout.locator('[data-series="collected"]'), rp(month.collected));
    await waitForText(readout.locator('[data-series="spending"]'), 'Rp 35.000');

    // A tap on an earlier month's column (no bars there) reads out that month.
    const months = chart.locator('[data-period]');
    expect(await months.count()).toBe(12);
    const earlier = months.first();
    const earlierPeriod = (await earlier.getAttribute('data-period'))!;
    await earlier.locator('.ledger-chart__hit').tap();
    await waitForText(readout.locator('[data-series="billed"]'), 'Rp 0');
    expect(await earlier.getAttribute('aria-pressed')).toBe('true');
    expect(earlierPeriod < cal.period).toBe(true);
    await screenshot(page, 'dashboard-chart-touch-earlier');

    await months.last().locator('.ledger-chart__hit').tap();
    await waitForText(readout.locator('[data-series="spending"]'), 'Rp 35.000');
    await screenshot(page, 'dashboard-chart-touch');
    expect(errors).toEqual([]);
    await context.close();
  });
});
