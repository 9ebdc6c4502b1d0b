import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForPath, waitForText } from './support/browser.ts';

/**
 * The treasurer's money view in Chromium at 1366×768: from the unit list to a unit's account card with its running
 * balance, and from an invoice search (a unit typed the way people type it) to the invoice with the payment that paid it.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let unitId: string;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  const cal = (await admin.get(e('/calendar'))).body as { today: string; period: string; now: string };
  for (const code of ['A-2', 'A-12']) {
    const unit = await admin.post(e('/units'), { code, block: 'A', type: 'rumah', occupancy: 'occupied' });
    expect(unit.status, unit.text).toBe(201);
    if (code === 'A-12') unitId = unit.body.id;
  }
  expect((await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: unitId, relation: 'owner' })).status).toBe(201);
  expect(
    (await admin.post(e('/fee-types'), { code: 'IPL', name: 'IPL', amount: 150_000, basis: 'flat', effective_from: cal.period })).status,
  ).toBe(201);
  expect((await admin.post(e('/billing-runs'), { period: cal.period })).status).toBe(201);
  const paid = await admin.post(e('/payments'), { unit_id: unitId, amount: 100_000, method: 'cash', paid_at: cal.now });
  expect(paid.status, paid.text).toBe(201);
  expect((await admin.get(e(`/payments/${paid.body.id}/receipt`))).status).toBe(200);
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the treasurer money view in Chromium', () => {
  it("opens a unit's account card from the unit list and reads the running balance", async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/units`);
    const row = page.locator('tr', { hasText: 'A-12' });
    await row.getByTestId('unit-account-link').waitFor();
    await screenshot(page, 'account-card-00-units-id');
    await row.getByTestId('unit-account-link').click();
    await waitForPath(page, `/units/${unitId}/account`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Kartu akun A-12');
    await waitForText(page.getByTestId('account-head'), 'Budi Santoso');
    await waitForText(page.getByTestId('account-head'), 'Perumahan Griya Asri');
    const balances = page.getByTestId('account-balance');
    await waitForText(balances.last(), 'Rp 50.000');
    // formatRupiah keeps "Rp" and the amount together with a no-break space.
    expect((await balances.allInnerTexts()).map((s) => s.replace(/\s/g, ' '))).toEqual(['Rp 150.000', 'Rp 50.000']);
    await waitForText(page.getByTestId('account-lines'), /Kuitansi /);
    await waitForText(page.getByTestId('account-closing'), 'Rp 50.000');
    // The statement to hand to the resident: the link downloads the PDF of the same card.
    const pdf = await page.request.get(new URL((await page.getByTestId('account-pdf').getAttribute('href'))!, server.url).href);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
    await screenshot(page, 'account-card-01-id');

    // Printed, only the statement is left: no sidebar, no buttons.
    await page.emulateMedia({ media: 'print' });
    expect(await page.locator('.sidebar').isVisible()).toBe(false);
    expect(await page.getByTestId('account-print').isVisible()).toBe(false);
    await screenshot(page, 'account-card-02-print-id');
    await page.emulateMedia({ media: 'screen' });

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Account card A-12');
    await waitForText(page.getByTestId('account-lines'), 'Payment');
    // English groups amounts with commas and keeps "Rp" in front; dates read "30 Nov 2026" in both languages.
    await waitForText(page.getByTestId('account-closing'), 'Rp 50,000');
    expect((await balances.allInnerTexts()).map((s) => s.replace(/\s/g, ' '))).toEqual(['Rp 150,000', 'Rp 50,000']);
    expect(await page.getByTestId('account-lines').locator('tbody tr').nth(1).locator('td').first().innerText()).toMatch(
      /^\d{1,2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4}$/,
    );
    await screenshot(page, 'account-card-03-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('finds an invoice by a unit typed as "a12" and opens it with its lines and the payment that paid it', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/invoices`);
    await page.getByRole('searchbox').fill('a12');
    const rows = page.getByTestId('invoices').locator('tbody tr');
    await page.waitForFunction(() => {
      const trs = [...document.querySelectorAll('[data-testid="invoices"] tbody tr')];
      return trs.length === 1 && trs[0].textContent?.includes('A-12');
    });
    expect(await rows.count()).toBe(1);
    await screenshot(page, 'invoice-search-01-id');
    await rows.first().getByRole('link', { name: /^INV/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), /Tagihan INV/);
    await waitForText(page.getByTestId('invoice-lines'), 'IPL');
    await waitForText(page.getByTestId('invoice-payments'), 'Rp 100.000');
    await waitForText(page.getByTestId('invoice-outstanding'), 'Rp 50.000');
    // The payment and its receipt (kuitansi), both leading to the payment page that prints it.
    const links = page.getByTestId('invoice-payments').getByRole('link');
    expect(await links.count()).toBe(2);
    for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href'))))
      expect(href).toMatch(/^\/payments\/[0-9a-f-]{36}$/);
    await screenshot(page, 'invoice-detail-01-id');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('gives a fee type a new rate from next month and switches it off from a later month', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/fee-types`);
    const row = page.getByTestId('fee-types').locator('tr', { hasText: 'IPL' });
    await row.getByRole('button', { name: 'Ubah' }).click();
    const form = page.getByTestId('fee-edit');
    await form.getByLabel('Tarif baru (Rp)').fill('175000');
    const from = await form.getByLabel('Berlaku mulai bulan').inputValue();
    await screenshot(page, 'fee-types-01-edit-id');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await form.waitFor({ state: 'detached' });
    await waitForText(row.getByTestId('fee-next-rate'), '175.000');
    const fee = (await admin.get(`/estates/${estateId}/fee-types`)).body.items[0];
    expect(fee.rates.map((r: { effective_from: string; amount: number }) => [r.effective_from, r.amount]).slice(-1)).toEqual([
      [from, 175_000],
    ]);

    await row.getByRole('button', { name: 'Ubah' }).click();
    await form.getByLabel('Tidak ditagih lagi mulai bulan').fill(from);
    await form.getByRole('button', { name: 'Hentikan' }).click();
    await waitForText(row, 'Dihentikan mulai');
    await screenshot(page, 'fee-types-02-switched-off-id');
    expect((await admin.get(`/estates/${estateId}/fee-types/${fee.id}`)).body.inactive_from).toBe(from);

    // The billing page proposes a due date after today instead of a fixed day that may already have passed.
    const today = (await admin.get(`/estates/${estateId}/calendar`)).body.today as string;
    await page.goto(`${server.url}/billing`);
    const due = page.getByLabel('Jatuh tempo');
    expect(await due.inputValue()).toBe('');
    await page.getByRole('button', { name: 'Pratinjau' }).click();
    await page.getByTestId('billing-preview').waitFor();
    // The field shows the day as dd/mm/yyyy (or ISO in a native date input); either way it lies after today.
    const shown = await due.inputValue();
    const dmy = /^(\d{2})\/(\d{2})\/(\d{4})$/.exec(shown);
    const iso = dmy ? `${dmy[3]}-${dmy[2]}-${dmy[1]}` : shown;
    expect(iso > today, `${shown} after ${today}`).toBe(true);
    await screenshot(page, 'billing-due-proposed-id');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('shows a payment entered by its date without an hour in the payments list and its detail, in both languages', async () => {
    const today = (await admin.get(`/estates/${estateId}/calendar`)).body.today as string;
    const byDate = await admin.post(`/estates/${estateId}/payments`, { unit_id: unitId, amount: 10_000, method: 'cash', paid_at: today });
    expect(byDate.status, byDate.text).toBe(201);
    const [year, , day] = today.split('-');
    const dayOnly = new RegExp(`^${Number(day)} \\S+ ${year}$`);
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/payments`);
    const row = page.locator('tr', { hasText: byDate.body.payment_number });
    await row.waitFor();
    expect(await row.locator('td').nth(2).innerText()).toMatch(dayOnly);
    // A payment recorded with its time keeps it.
    const timed = page.locator('tbody tr', { hasNotText: byDate.body.payment_number }).first();
    expect(await timed.locator('td').nth(2).innerText()).toMatch(/ \d{2}\.\d{2}$/);
    await row.getByRole('link').click();
    const detail = page.getByTestId('payment-detail');
    await waitForText(detail, 'Rp 10.000');
    expect(await detail.locator('dt', { hasText: 'Tanggal bayar' }).locator('xpath=following-sibling::dd[1]').innerText()).toMatch(dayOnly);
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(detail, 'Rp 10,000');
    expect(await detail.locator('dt', { hasText: 'Paid on' }).locator('xpath=following-sibling::dd[1]').innerText()).toMatch(dayOnly);
    await screenshot(page, 'payment-by-date-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
