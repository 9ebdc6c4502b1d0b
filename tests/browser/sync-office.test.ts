import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { runSyncCycle } from '../../server/sync/desktop-service.ts';
import { pinSchemaVersion } from '../../server/sync/platform-db.ts';
import { ADMIN, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { startSyncSites, type SyncSites } from '../support/sync-sites.ts';
import {
  DESKTOP,
  PHONE,
  launchChromium,
  newPage,
  pageErrors,
  screenshot,
  waitForText,
  noHorizontalScroll,
  signIn,
} from './support/browser.ts';

/**
 * The office pairs its desktop (SQLite) with the hosted instance (PostgreSQL, `pgUrl`) on the Sinkronisasi page, both
 * real servers on 127.0.0.1; a resident sends a transfer proof in the hosted portal on a phone; the treasurer syncs
 * the desktop, verifies the proof there and syncs again; the resident then sees the receipt in the hosted portal.
 */
let sites: SyncSites;
let cloud: TestServer;
let desktop: TestServer;
let browser: Browser;
let cloudAdmin: ApiClient;
let office: ApiClient;
let estateId: string;
let budiId: string;
let treasurer: { email: string; password: string };
let resident: { email: string; password: string };
const e = (p: string) => `/estates/${estateId}${p}`;

beforeAll(async () => {
  sites = await startSyncSites(inject('pgUrl'));
  ({ cloud, desktop, cloudAdmin, office, estateId } = sites);
  const unit = await office.post(e('/units'), { code: 'B-7', block: 'B' });
  expect(unit.status, unit.text).toBe(201);
  const charge = await office.post(e('/charges'), {
    name: 'Iuran November',
    amount: 150_000,
    period: '2026-11',
    due_date: '2026-11-20',
    unit_ids: [unit.body.id],
  });
  expect(charge.status, charge.text).toBe(201);
  const budi = await office.post(e('/residents'), { name: 'Budi Santoso', unit_id: unit.body.id, relation: 'owner' });
  expect(budi.status, budi.text).toBe(201);
  budiId = budi.body.id;
  const t = await userWithRole(desktop.url, office, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await sites?.close();
});

describe('the office desktop and the hosted instance share one set of books, seen in Chromium', () => {
  it('the estate administrator links the desktop on the Sinkronisasi page, after plain errors for an unreachable address, a wrong code, an address that is not Klustera and an upgrade needed', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
    await page.getByRole('link', { name: 'Sinkronisasi' }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Sinkronisasi');
    await page.getByTestId('sync-link-form').waitFor();

    // A port nothing listens on: out of reach, said so, nothing linked.
    await page.getByLabel('Alamat server awan').fill('http://127.0.0.1:9');
    await page.getByLabel('Kode tautan').fill('AAAA-BBBB-CCCC');
    await page.getByTestId('sync-link').click();
    await waitForText(page.getByRole('alert').first(), 'Server awan tidak dapat dihubungi');

    await page.getByLabel('Alamat server awan').fill(cloud.url);
    await page.getByTestId('sync-link').click();
    await waitForText(page.locator('[data-code="SYNC_CODE_INVALID"]'), 'Kode tautan salah, kedaluwarsa, atau sudah dipakai');
    await screenshot(page, 'sync-office-01-wrong-code-id');

    // Something else answering at the address (a router's login page): not Klustera, said so.
    const notKlustera = http.createServer((_req, res) => res.end('<html>router login</html>'));
    await new Promise<void>((resolve) => notKlustera.listen(0, '127.0.0.1', resolve));
    await page.getByLabel('Alamat server awan').fill(`http://127.0.0.1:${(notKlustera.address() as AddressInfo).port}`);
    await page.getByTestId('sync-link').click();
    await waitForText(page.locator('[data-code="SYNC_ANSWER_UNREADABLE"]'), 'Alamat ini bukan server awan Klustera');
    await new Promise((resolve) => notKlustera.close(resolve));

    // A hosted instance on a newer schema: update first; the code is not used up by the refusal.
    const issued = await cloudAdmin.post('/sync/link-codes');
    expect(issued.status, issued.text).toBe(201);
    await page.getByLabel('Alamat server awan').fill(cloud.url);
    await page.getByLabel('Kode tautan').fill(issued.body.code);
    pinSchemaVersion(cloud.app, '20991231000000_later');
    try {
      await page.getByTestId('sync-link').click();
      await waitForText(page.locator('[data-code="SYNC_UPGRADE_REQUIRED"]'), 'Perbarui aplikasi');
    } finally {
      pinSchemaVersion(cloud.app, null);
    }
    await page.getByTestId('sync-link').click();
    await waitForText(page.getByTestId('sync-cloud-url'), cloud.url);
    // Linking runs the first sync at once: the units, residents and invoices are on the hosted instance.
    await waitForText(page.getByTestId('sync-notice'), /^Selesai: [1-9]\d* perubahan dikirim, \d+ diterima\.$/);
    await waitForText(page.getByTestId('sync-waiting'), 'Tidak ada, semua sudah terkirim');
    expect(await page.getByTestId('sync-last').textContent()).toMatch(/\d{2}\.\d{2}/);
    expect(await page.getByTestId('sync-last-error').count()).toBe(0);
    await screenshot(page, 'sync-office-02-linked-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Sync');
    await waitForText(page.getByTestId('sync-waiting'), 'None, everything has been sent');
    await screenshot(page, 'sync-office-03-linked-en');

    // Unlinking asks first; cancelling keeps the link.
    await page.getByTestId('sync-unlink').click();
    await waitForText(page.getByTestId('confirm-dialog'), 'Unlink from the hosted instance?');
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Cancel' }).click();
    await page.getByTestId('sync-status').waitFor();
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    expect(await office.get(e('/sync'))).toMatchObject({ body: { linked: true, waiting: 0 } });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('a resident invited on the hosted instance sends a transfer proof there from a phone', async () => {
    // Accounts are not synced: the resident's account is made on the hosted instance, for the resident record the
    // desktop synced there.
    resident = await userWithRole(cloud.url, cloudAdmin, estateId, 'resident', { resident_id: budiId });
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${cloud.url}/portal/login`, resident.email, resident.password);
    await page.goto(`${cloud.url}/portal/bills`);
    await waitForText(page.getByTestId('my-invoices'), 'Rp 150.000');
    const form = page.getByTestId('proof-form');
    await form.getByLabel('Jumlah (Rp)').fill('150000');
    await form.getByLabel('No. referensi').fill('BCA mobile 2611');
    await form.locator('input[type=file]').setInputFiles({ name: 'bukti.png', mimeType: 'image/png', buffer: await bankScreenshot() });
    await form.getByRole('button', { name: 'Kirim bukti transfer' }).click();
    await waitForText(form.getByRole('status'), 'Bukti terkirim');
    await waitForText(page.getByTestId('my-proof').first(), 'Menunggu');
    expect(await noHorizontalScroll(page)).toBe(true);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('the treasurer syncs the desktop, verifies the proof there and syncs again; the resident sees the receipt on the hosted portal', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${desktop.url}/login`, treasurer.email, treasurer.password);
    await page.getByRole('link', { name: 'Sinkronisasi' }).click();
    await page.getByTestId('sync-status').waitFor();
    expect(await page.getByTestId('sync-unlink').count()).toBe(0);
    await page.getByTestId('sync-run').click();
    await waitForText(page.getByTestId('sync-notice'), /^Selesai: 0 perubahan dikirim, [1-9]\d* diterima\.$/);

    await page.getByRole('link', { name: /Bukti transfer/ }).click();
    const rows = page.getByTestId('proof-row');
    await waitForText(rows.first(), 'Rp 150.000');
    await waitForText(rows.first(), 'Budi Santoso');
    await page.getByTestId('proof-image').waitFor();
    expect(await page.getByTestId('proof-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 300)).toBe(true);
    await page.getByTestId('proof-approve').click();
    await waitForText(page.getByTestId('proofs-notice'), /Disetujui\. Pembayaran .+ tercatat\./);

    await page.getByRole('link', { name: 'Sinkronisasi' }).click();
    await waitForText(page.getByTestId('sync-waiting'), /^[1-9]\d*$/);
    await page.getByTestId('sync-run').click();
    await waitForText(page.getByTestId('sync-notice'), /^Selesai: [1-9]\d* perubahan dikirim, \d+ diterima\.$/);
    await waitForText(page.getByTestId('sync-waiting'), 'Tidak ada, semua sudah terkirim');
    expect(pageErrors(page)).toEqual([]);
    await context.close();

    const phone = await newPage(browser, PHONE);
    await signIn(phone.page, `${cloud.url}/portal/login`, resident.email, resident.password);
    await phone.page.goto(`${cloud.url}/portal/bills`);
    const approved = phone.page.locator('[data-testid="my-proof"][data-status="verified"]');
    await waitForText(approved, 'Disetujui');
    const href = await approved.getByTestId('my-proof-receipt').getAttribute('href');
    const pdf = await phone.page.request.get(new URL(href!, cloud.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await waitForText(phone.page.getByTestId('my-invoice').first(), 'Lunas');
    expect(await noHorizontalScroll(phone.page)).toBe(true);
    await screenshot(phone.page, 'sync-office-04-portal-receipt-id');
    expect(pageErrors(phone.page)).toEqual([]);
    await phone.context.close();
  });
});

describe('a revoked link, seen by the office', () => {
  it('shows the clock warning and the last problem in plain words, in Indonesian and English, and unlinks after confirming', async () => {
    // The desktop's clock reads 5 minutes behind the hosted instance's during one cycle.
    const realNow = Date.now.bind(Date);
    const behind = vi.spyOn(Date, 'now').mockImplementation(() => realNow() - 5 * 60_000);
    try {
      expect((await runSyncCycle(desktop.app, estateId)).ok).toBe(true);
    } finally {
      behind.mockRestore();
    }
    const credentials = await cloudAdmin.get(e('/sync/credentials'));
    expect(credentials.status, credentials.text).toBe(200);
    for (const c of credentials.body.items as { id: string }[]) {
      expect((await cloudAdmin.delete(e(`/sync/credentials/${c.id}`))).status).toBe(204);
    }
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${desktop.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${desktop.url}/settings/sync`);
    await waitForText(page.getByTestId('sync-clock-warning'), 'Jam komputer ini berbeda sekitar 5 menit dengan server awan');
    await page.getByTestId('sync-run').click();
    await waitForText(page.locator('[data-testid="sync-last-error"][data-code="SYNC_CREDENTIAL_INVALID"]'), 'Tautan tidak berlaku lagi');
    expect(await page.getByTestId('sync-notice').count()).toBe(0);
    await screenshot(page, 'sync-office-05-revoked-id');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByTestId('sync-last-error'), 'The link is no longer valid');
    await waitForText(page.getByTestId('sync-clock-warning'), "This computer's clock is about 5 minutes off");
    await screenshot(page, 'sync-office-06-revoked-en');

    await page.getByTestId('sync-unlink').click();
    await page.getByTestId('confirm-dialog').getByRole('button', { name: 'Unlink' }).click();
    await waitForText(page.getByTestId('sync-notice'), 'Unlinked.');
    await page.getByTestId('sync-link-form').waitFor();
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await waitForText(page.getByTestId('sync-notice'), 'Tautan diputus.');
    expect((await office.get(e('/sync'))).body).toMatchObject({ linked: false });
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});

/** A bank app's confirmation screen, as a resident would photograph it. */
async function bankScreenshot(): Promise<Buffer> {
  const { context, page } = await newPage(browser, { width: 360, height: 520 });
  await page.setContent(`<body style="font:18px sans-serif;background:#eef4fb;padding:24px"><h2 style="color:#0a4f9e">m-Transfer BERHASIL</h2>
    <p>Ke: 1234567890 (Kas RT 003)</p><p>Jumlah: <b>Rp 150.000</b></p><p>Berita: IPL B-7</p></body>`);
  const png = await page.screenshot();
  await context.close();
  return png;
}
