import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { enqueueJob } from '../../server/jobs/job-queue.ts';
import { printSlipJob } from '../../server/gate/slip-job.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, waitForText } from './support/browser.ts';

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

async function signIn(page: Page, login: string, password: string) {
  await page.goto(`${server.url}/login`);
  await page.getByLabel('Email atau nomor HP').fill(login);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
}

describe('background work in Chromium', () => {
  it('lists a failed slip with its cause and retries it; a guard has no such page', async () => {
    const { id } = await enqueueJob(server.db.knex, printSlipJob, { visit_id: 'v-1', gate_id: 'g-1', guard_name: 'Pak Satpam' }, { estateId });
    await server.db.knex('jobs').where({ id }).update({ status: 'failed', attempts: 3, last_error: 'ConflictError: Printer tidak dapat dihubungi.', finished_at: new Date().toISOString() });

    const { page } = await newPage(browser, DESKTOP);
    await signIn(page, 'ketua@griya-asri.id', 'rahasia-ketua-1');
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
    await signIn(other.page, guard.email, guard.password);
    await other.page.waitForLoadState('networkidle');
    expect(await other.page.getByRole('link', { name: 'Pekerjaan latar' }).count()).toBe(0);
    await other.context.close();
  });
});
