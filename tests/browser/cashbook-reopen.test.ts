import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { formatDateTime } from '../../renderer/src/format/date.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * Closed cash-book months on the Cashbook page at 1366×768: the treasurer closes November, sees it listed with who
 * closed it and when, is refused an entry dated in it, reopens it with a reason and records the entry. Staff see the
 * list but cannot reopen. In Indonesian and English.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let staff: { email: string; password: string };
const zone = process.env.KLUSTERA_TEST_ESTATE_TZ || 'Asia/Jakarta';
const cb = (p: string) => `/estates/${estateId}/cashbook${p}`;

interface Period {
  period: string;
  status: 'open' | 'closed';
  changed_at: string;
  changed_by_name: string | null;
  reason: string | null;
}
/** A whole-page picture from the top: scrolled, the fixed side menu would be drawn halfway down the page. */
async function shot(page: Page, name: string) {
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, name);
}
const periods = async (): Promise<Period[]> => (await admin.get(cb('/periods'))).body.items;

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const kas = await admin.post(cb('/accounts'), { name: 'Kas RT', kind: 'cash', opening_balance: 500_000, opening_date: '2026-09-01' });
  expect(kas.status, kas.text).toBe(201);
  const t = await userWithRole(server.url, admin, estateId, 'treasurer', { name: 'Bu Sari' });
  treasurer = { email: t.email, password: t.password };
  const s = await userWithRole(server.url, admin, estateId, 'staff');
  staff = { email: s.email, password: s.password };
  // October was closed earlier by the chair.
  expect((await admin.post(cb('/close'), { period: '2026-10' })).status).toBe(201);
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('closed cash-book months in Chromium', () => {
  it('closes a month, refuses an entry dated in it, reopens it with a reason and then records the entry', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    let nativeDialogs = 0;
    page.on('dialog', (d) => {
      nativeDialogs += 1;
      void d.dismiss();
    });
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/cashbook`);
    const card = page.getByTestId('cashbook-closed-months');
    await waitForText(card, 'Bulan ditutup');
    const october = card.locator('[data-period="2026-10"]');
    await waitForText(october, 'Oktober 2026');
    await waitForText(october, 'Ditutup oleh Ibu Ketua');

    // Close November from the page, with the month asked in the in-page dialog.
    await page.getByRole('button', { name: 'Tutup bulan' }).click();
    const prompt = page.getByTestId('prompt-dialog');
    await prompt.getByLabel('Tutup bulan').fill('2026-11');
    await prompt.getByTestId('prompt-dialog-confirm').click();
    const november = card.locator('[data-period="2026-11"]');
    await waitForText(november, 'November 2026');
    const closedAt = (await periods()).find((p) => p.period === '2026-11')!.changed_at;
    await waitForText(november, `Ditutup oleh Bu Sari, ${formatDateTime(closedAt, 'id-ID', zone)}`);
    // Newest month first.
    expect(await card.locator('[data-period]').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-period')))).toEqual([
      '2026-11',
      '2026-10',
    ]);
    await shot(page, 'cashbook-reopen-01-closed-months-id');

    // An entry dated in November is refused, and nothing is written.
    const form = page.getByTestId('cashbook-entry-form');
    await form.getByLabel('Status').selectOption('out');
    await form.getByLabel('Jumlah (Rp)').fill('25000');
    await form.getByRole('textbox', { name: 'Tanggal' }).fill('15/11/2026');
    await form.getByLabel('Keterangan').fill('Iuran sampah November');
    await form.getByRole('button', { name: 'Simpan' }).click();
    const refused = form.locator('[data-code="MONTH_CLOSED"]');
    await waitForText(refused, 'Buku kas bulan itu sudah ditutup');
    const entries = page.getByTestId('cashbook-entries');
    expect(await entries.locator('tr', { hasText: 'Iuran sampah November' }).count()).toBe(0);

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(card, 'Closed months');
    await waitForText(november, `Closed by Bu Sari, ${formatDateTime(closedAt, 'en', zone)}`);
    await waitForText(refused, 'The cash book for that month is closed');
    await november.getByRole('button', { name: 'Reopen' }).waitFor();
    await shot(page, 'cashbook-reopen-02-closed-months-en');
    await page.getByRole('button', { name: 'ID', exact: true }).click();

    // Reopening asks for a reason; it takes nothing away, so the button is primary, and the reason stops at 500.
    await november.getByRole('button', { name: 'Buka kembali' }).click();
    await waitForText(prompt, 'Buka kembali buku kas November 2026?');
    expect(await prompt.getAttribute('data-tone')).toBe('primary');
    const confirm = prompt.getByTestId('prompt-dialog-confirm');
    expect(await confirm.getAttribute('class')).toBe('btn btn--primary');
    expect(await confirm.textContent()).toBe('Buka kembali');
    expect(await confirm.isDisabled()).toBe(true);
    const reason = prompt.getByLabel('Alasan membuka kembali');
    expect(await reason.getAttribute('maxlength')).toBe('500');
    await reason.fill('Nota sampah November datang terlambat');
    await shot(page, 'cashbook-reopen-03-reason-id');
    await confirm.click();
    await november.waitFor({ state: 'detached' });
    await waitForText(page.getByTestId('cashbook-notice'), 'Buku kas November 2026 dibuka kembali.');
    expect(await card.locator('[data-period]').count()).toBe(1);
    await waitForText(october, 'Oktober 2026');

    const reopened = (await periods()).find((p) => p.period === '2026-11');
    expect(reopened).toMatchObject({ status: 'open', changed_by_name: 'Bu Sari', reason: 'Nota sampah November datang terlambat' });

    // The same entry, untouched in the form, now goes in.
    await form.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(entries.locator('tr', { hasText: 'Iuran sampah November' }), '15 Nov 2026');
    expect(await refused.count()).toBe(0);

    // October was reopened elsewhere meanwhile: the page says so in its error banner and the list catches up.
    expect((await admin.post(cb('/reopen'), { period: '2026-10', reason: 'Koreksi ketua' })).status).toBe(201);
    await october.getByRole('button', { name: 'Buka kembali' }).click();
    await prompt.getByLabel('Alasan membuka kembali').fill('Koreksi');
    await prompt.getByTestId('prompt-dialog-confirm').click();
    await waitForText(page.locator('.banner--error[data-code="MONTH_NOT_CLOSED"]'), 'Bulan ini tidak sedang ditutup.');
    await waitForText(card, 'Belum ada bulan yang ditutup.');
    expect((await periods()).find((p) => p.period === '2026-10')?.reason).toBe('Koreksi ketua');

    expect(nativeDialogs).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('shows staff the closed months without a reopen button', async () => {
    expect((await admin.post(cb('/close'), { period: '2026-09' })).status).toBe(201);
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, staff.email, staff.password);
    await page.goto(`${server.url}/cashbook`);
    const september = page.getByTestId('cashbook-closed-months').locator('[data-period="2026-09"]');
    await waitForText(september, 'September 2026');
    await waitForText(september, 'Ditutup oleh Ibu Ketua');
    expect(await page.getByRole('button', { name: 'Buka kembali' }).count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Tutup bulan' }).count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
