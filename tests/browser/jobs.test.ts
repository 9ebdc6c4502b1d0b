import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { printSlipJob } from '../../server/gate/slip-job.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, networkSettled, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

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
    await page.getByRole('button', { name: 'Batalkan pembayaran' }).click();
    const dialog = page.getByTestId('prompt-dialog');
    await waitForText(dialog, 'Alasan pembatalan:');
    await dialog.getByRole('textbox').fill('Salah unit');
    await screenshot(page, 'desktop-payment-reverse-dialog');
    await dialog.getByRole('button', { name: 'Lanjutkan' }).click();
    await dialog.waitFor({ state: 'detached' });
    await expect.poll(async () => (await admin.get(`/estates/${estateId}/payments/${payment.id}`)).body.status).toBe('reversed');
    expect(nativeDialogs).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
