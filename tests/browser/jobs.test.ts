import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { printSlipJob } from '../../server/gate/slip-job.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import {
  DESKTOP,
  launchChromium,
  networkSettled,
  newPage,
  noHorizontalScroll,
  PHONE,
  pageErrors,
  screenshot,
  signIn,
  waitForText,
} from './support/browser.ts';

/** The office sees background work that failed, in its own language, and tries it again. */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;

beforeAll(async () => {
  server = await startTestServer({ backgroundJobs: false, options: { loginRateLimitPerMinute: 1000 } });
  ({ client: admin, estateId } = await setupEstate(server.url));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('background work in Chromium', () => {
  it('lists a failed slip with its cause and retries it; a guard has no such page', async () => {
    const { id } = await enqueueJob(
      server.db.knex,
      printSlipJob,
      { visit_id: 'v-1', gate_id: 'g-1', guard_name: 'Pak Satpam' },
      { estateId },
    );
    await server.db.knex('jobs').where({ id }).update({
      status: 'failed',
      attempts: 3,
      last_error: 'ConflictError: Printer tidak dapat dihubungi.',
      finished_at: new Date().toISOString(),
    });

    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await waitForText(page.getByTestId('estate-name'), 'Perumahan Griya Asri');
    await page.goto(`${server.url}/jobs`);
    const row = page.getByTestId('job-row');
    await waitForText(row, 'Cetak slip tamu');
    await waitForText(row, 'Gagal');
    await waitForText(row, 'Printer tidak dapat dihubungi.');
    await screenshot(page, 'desktop-jobs-failed');
    await row.getByRole('button', { name: 'Ulangi' }).click();
    await waitForText(page.getByRole('status'), 'Dijadwalkan ulang.');
    await row.waitFor({ state: 'detached' });
    expect((await admin.get(`/estates/${estateId}/jobs?status=pending`)).body.items.map((j: { id: string }) => j.id)).toEqual([id]);

    expect(pageErrors(page)).toEqual([]);

    const guard = await userWithRole(server.url, admin, estateId, 'guard');
    const other = await newPage(browser, DESKTOP);
    await signIn(other.page, `${server.url}/login`, guard.email, guard.password);
    await networkSettled(other.page);
    expect(await other.page.getByRole('link', { name: 'Pekerjaan latar' }).count()).toBe(0);
    await other.context.close();
  });
});

describe('questions asked in the page, not with window.prompt (the desktop window has none)', () => {
  it('reverses a payment with a reason typed into the in-page dialog', async () => {
    const unit = (await admin.post(`/estates/${estateId}/units`, { code: 'Z-9' })).body.id;
    const payment = (
      await admin.post(`/estates/${estateId}/payments`, {
        unit_id: unit,
        amount: 50_000,
        method: 'cash',
        paid_at: new Date().toISOString(),
      })
    ).body;
    const { page, context } = await newPage(browser, DESKTOP);
    let nativeDialogs = 0;
    page.on('dialog', (d) => {
      nativeDialogs++;
      void d.dismiss();
    });
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await waitForText(page.getByTestId('estate-name'), 'Perumahan Griya Asri');
    await page.goto(`${server.url}/payments/${payment.id}`);
    const dialog = page.getByTestId('prompt-dialog');
    const status = async () => (await admin.get(`/estates/${estateId}/payments/${payment.id}`)).body;
    const open = async (label: string) => {
      await page.getByTestId('payment-amount').waitFor();
      await page.getByRole('button', { name: label, exact: true }).click();
      await dialog.waitFor();
    };

    // Reversing money: a red button that says what it does, the consequence spelled out, the focus in the empty reason.
    await open('Batalkan pembayaran');
    await waitForText(dialog, 'Alasan pembatalan:');
    await waitForText(dialog, 'Pembatalan tidak bisa diurungkan.');
    await waitForText(dialog, `Batalkan pembayaran ${payment.payment_number} sebesar Rp 50.000?`);
    expect(await promptState(page)).toEqual({
      tone: 'danger',
      confirmClass: 'btn btn--danger',
      confirmLabel: 'Batalkan pembayaran',
      disabled: true,
      reasonFocused: true,
    });
    // The reason stays required: Enter on an empty or blank reason does nothing.
    await page.keyboard.press('Enter');
    await dialog.getByRole('textbox').fill('   ');
    await page.keyboard.press('Enter');
    expect(await dialog.isVisible()).toBe(true);
    expect((await promptState(page)).disabled).toBe(true);
    await screenshot(page, 'desktop-payment-reverse-dialog-empty-id');
    // The field stops at the 500 characters the server takes, instead of the server refusing a longer reason.
    await dialog.getByRole('textbox').focus();
    await page.keyboard.insertText('x'.repeat(600));
    expect((await dialog.getByRole('textbox').inputValue()).length).toBe(500);
    // Escape answers no, even with a reason typed: nothing is written.
    await dialog.getByRole('textbox').fill('Salah unit');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await status()).toMatchObject({ status: 'recorded', reversal: null });

    // The same question in English and on a phone.
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await open('Reverse payment');
    await waitForText(dialog, 'Reason for the reversal:');
    await waitForText(dialog, `Reverse payment ${payment.payment_number} of Rp 50,000?`);
    expect(await promptState(page)).toMatchObject({ tone: 'danger', confirmLabel: 'Reverse payment', reasonFocused: true });
    await dialog.getByRole('textbox').fill('Wrong unit');
    await screenshot(page, 'desktop-payment-reverse-dialog-en');
    await toPhone(page);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'phone-payment-reverse-dialog-en');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await open('Batalkan pembayaran');
    await dialog.getByRole('textbox').fill('Salah unit');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'phone-payment-reverse-dialog-id');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    await page.setViewportSize(DESKTOP);
    expect(await status()).toMatchObject({ status: 'recorded', reversal: null });

    await open('Batalkan pembayaran');
    await dialog.getByRole('textbox').fill('  Salah unit ');
    await screenshot(page, 'desktop-payment-reverse-dialog');
    await dialog.getByTestId('prompt-dialog-confirm').click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await status()).status).toBe('reversed');
    expect((await status()).reversal).toMatchObject({ reason: 'Salah unit' });
    expect(nativeDialogs).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('voids an invoice only after a reason, behind a red button that says so', async () => {
    const e = (path: string) => `/estates/${estateId}${path}`;
    const cal = (await admin.get(e('/calendar'))).body as { period: string };
    expect((await admin.post(e('/units'), { code: 'V-1', block: 'V', type: 'rumah', occupancy: 'occupied' })).status).toBe(201);
    const fee = await admin.post(e('/fee-types'), {
      code: 'KBR',
      name: 'Kebersihan',
      amount: 75_000,
      basis: 'flat',
      effective_from: cal.period,
    });
    expect(fee.status, fee.text).toBe(201);
    const run = await admin.post(e('/billing-runs'), { period: cal.period });
    expect(run.status, run.text).toBe(201);
    const invoice = (await admin.get(e('/invoices?q=V-1'))).body.items[0] as { id: string; number: string; total: number };
    expect(invoice.total).toBe(75_000);
    const current = async () => (await admin.get(e(`/invoices/${invoice.id}`))).body;

    const { page, context } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, 'ketua@griya-asri.id', 'rahasia-ketua-1');
    await page.goto(`${server.url}/invoices?q=V-1`);
    const row = page.getByTestId('invoices').locator('tbody tr', { hasText: invoice.number });
    const dialog = page.getByTestId('prompt-dialog');
    await row.getByRole('button', { name: 'Batalkan' }).click();
    await waitForText(dialog, 'Alasan pembatalan tagihan:');
    await waitForText(dialog, `Batalkan tagihan ${invoice.number} sebesar Rp 75.000?`);
    expect(await promptState(page)).toEqual({
      tone: 'danger',
      confirmClass: 'btn btn--danger',
      confirmLabel: 'Batalkan tagihan',
      disabled: true,
      reasonFocused: true,
    });
    await screenshot(page, 'desktop-invoice-void-dialog-id');
    await dialog.getByRole('textbox').fill('Unit belum serah terima');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'detached' });
    expect(await current()).toMatchObject({ status: 'unpaid', void_reason: null });

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await row.getByRole('button', { name: 'Void' }).click();
    await waitForText(dialog, `Void invoice ${invoice.number} of Rp 75,000?`);
    expect(await promptState(page)).toMatchObject({ tone: 'danger', confirmLabel: 'Void invoice', reasonFocused: true });
    await toPhone(page);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'phone-invoice-void-dialog-en');
    await dialog.getByRole('textbox').fill('Not handed over yet');
    await page.keyboard.press('Enter');
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await current()).status).toBe('void');
    expect((await current()).void_reason).toBe('Not handed over yet');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

/** The open prompt's tone, its confirm button (classes, label, disabled) and whether the focus is in its field. */
async function promptState(page: Page) {
  const dialog = page.getByTestId('prompt-dialog');
  const confirm = dialog.getByTestId('prompt-dialog-confirm');
  return {
    tone: await dialog.getAttribute('data-tone'),
    confirmClass: await confirm.getAttribute('class'),
    confirmLabel: await confirm.textContent(),
    disabled: await confirm.isDisabled(),
    reasonFocused: await page.evaluate(() => document.activeElement === document.querySelector('[data-testid="prompt-dialog"] input')),
  };
}

/** A phone-sized window, once the side menu has finished sliding away (it animates out when the window narrows). */
async function toPhone(page: Page) {
  await page.setViewportSize(PHONE);
  await page.waitForFunction(() => (document.querySelector('.sidebar')?.getBoundingClientRect().right ?? 0) <= 0);
}
