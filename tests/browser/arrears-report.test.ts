import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The arrears page at 1366×768: only the units that owe, each with its owner's name and phone (0811-2345-678), months
 * not billed left blank, and a click on the total's header sorting by the amount owed (the exports follow).
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  const ids: Record<string, string> = {};
  for (const code of ['A-2', 'A-10', 'A-11']) ids[code] = (await admin.post(e('/units'), { code, block: 'A' })).body.id;
  await admin.post(e('/residents'), { name: 'Siti Rahmawati', unit_id: ids['A-10'], relation: 'owner', phone: '0811-2345-678' });
  await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: ids['A-2'], relation: 'owner', phone: '081298765432' });
  expect(
    (
      await admin.post(e('/charges'), {
        name: 'Iuran Oktober',
        amount: 100_000,
        period: '2026-10',
        due_date: '2026-10-20',
        unit_ids: [ids['A-10']],
      })
    ).status,
  ).toBe(201);
  for (const [period, amount] of [
    ['2026-10', 150_000],
    ['2026-11', 150_000],
  ] as const) {
    const r = await admin.post(e('/charges'), {
      name: `Iuran ${period}`,
      amount,
      period,
      due_date: `${period}-20`,
      unit_ids: Object.values(ids),
    });
    expect(r.status, r.text).toBe(201);
  }
  // A-11 pays everything: it no longer owes and is not listed.
  expect((await admin.post(e('/payments'), { unit_id: ids['A-11'], amount: 300_000, method: 'cash', paid_at: '2026-11-05' })).status).toBe(
    201,
  );
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('arrears page in Chromium', () => {
  it('lists the units that owe with owner and phone, blank unbilled months, sortable by amount', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/arrears?year=2026`);
    const grid = page.getByTestId('arrears-grid');
    await waitForText(grid, 'Siti Rahmawati');
    const codes = () => grid.locator('tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-unit')));
    expect(await codes()).toEqual(['A-2', 'A-10']);
    const a10 = grid.locator('tr[data-unit="A-10"]');
    expect(await a10.getByTestId('arrears-phone').innerText()).toBe('0811-2345-678');
    expect((await a10.locator('td[data-period="2026-12"]').innerText()).trim()).toBe('');
    expect((await a10.locator('td[data-period="2026-01"]').innerText()).trim()).toBe('');
    await waitForText(a10.locator('td[data-period="2026-10"]'), '250.000');
    await screenshot(page, 'arrears-01-by-unit-id');

    await page.getByTestId('arrears-sort-amount').click();
    await expect.poll(codes).toEqual(['A-10', 'A-2']);
    expect(await page.getByTestId('export-xlsx').getAttribute('href')).toContain('sort=amount');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(grid.locator('th'), 'Owner');
    await screenshot(page, 'arrears-02-by-amount-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('sends a reminder by hand to the ticked units after a preview of what each resident receives', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/arrears?year=2026`);
    const grid = page.getByTestId('arrears-grid');
    await waitForText(grid, 'Siti Rahmawati');
    await grid.getByRole('checkbox', { name: 'Pilih untuk pengingat A-10' }).check();
    const batch = page.getByTestId('reminder-batch');
    await batch.getByRole('button', { name: 'Pratinjau pengingat (1 unit)' }).click();
    const preview = batch.getByTestId('reminder-preview');
    await waitForText(preview, 'A-10 · Siti Rahmawati');
    await waitForText(preview, '400.000');
    // A preview writes nothing.
    const reminders = () => server.db.knex('messages').where({ estate_id: estateId, template_key: 'overdue_digest' });
    expect(await reminders()).toHaveLength(0);
    await screenshot(page, 'arrears-03-reminder-preview-id');
    await batch.getByRole('button', { name: 'Kirim 1 pengingat' }).click();
    await waitForText(batch.getByRole('status'), '1 pengingat diantrekan.');
    const sent = await reminders();
    expect(sent.map((m) => [m.channel, m.recipient])).toEqual([['wa_link', '628112345678']]);
    expect(sent[0].body_text).toContain('A-10');
    expect(await grid.getByRole('checkbox', { name: 'Pilih untuk pengingat A-10' }).isChecked()).toBe(false);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
