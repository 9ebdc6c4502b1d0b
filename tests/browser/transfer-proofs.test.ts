import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { DESKTOP, PHONE, launchChromium, newPage, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * Transfer proofs end to end in Chromium: a resident sends two, the treasurer (1366×768) approves one with the amount
 * that really arrived and rejects the other with a reason, and the resident's phone (390×844) shows both outcomes.
 */
let server: TestServer;
let browser: Browser;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let resident: { email: string; password: string; client: ApiClient };

/** A bank app's confirmation screen, as a resident would photograph it. */
async function bankScreenshot(amount: string): Promise<Buffer> {
  const { context, page } = await newPage(browser, { width: 360, height: 520 });
  await page.setContent(`<body style="font:18px sans-serif;background:#eef4fb;padding:24px"><h2 style="color:#0a4f9e">m-Transfer BERHASIL</h2>
    <p>Ke: 1234567890 (Kas RT 003)</p><p>Jumlah: <b>Rp ${amount}</b></p><p>Berita: IPL B-7</p><p>Ref: 2611${amount.replace(/\D/g, '')}</p></body>`);
  const png = await page.screenshot();
  await context.close();
  return png;
}

const noHorizontalScroll = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  const unit = await admin.post(e('/units'), { code: 'B-7', block: 'B' });
  expect(unit.status).toBe(201);
  expect(
    (
      await admin.post(e('/charges'), {
        name: 'Iuran November',
        amount: 150_000,
        period: '2026-11',
        due_date: '2026-11-20',
        unit_ids: [unit.body.id],
      })
    ).status,
  ).toBe(201);
  const budi = await admin.post(e('/residents'), { name: 'Budi Santoso', unit_id: unit.body.id, relation: 'owner' });
  const r = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: budi.body.id });
  resident = { email: r.email, password: r.password, client: r.client };
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
  for (const [amount, day] of [
    ['150.000', '2026-11-03'],
    ['75.000', '2026-11-04'],
  ] as const) {
    const sent = await resident.client.upload(
      e('/portal/transfer-proofs'),
      { amount: amount.replace('.', ''), paid_at: day, reference: 'BCA mobile' },
      { file: { filename: 'bukti.png', content: await bankScreenshot(amount), type: 'image/png' } },
    );
    expect(sent.status, sent.text).toBe(201);
  }
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('transfer proof review in Chromium', () => {
  it('the treasurer approves one (amount corrected) and rejects the other with a reason', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await waitForText(page.getByTestId('nav-proofs-count'), '2');
    await page.getByRole('link', { name: /Bukti transfer/ }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Bukti transfer');

    // Oldest first, and the oldest is opened: its image beside the unit's open invoice and what it would pay.
    const rows = page.getByTestId('proof-row');
    await waitForText(rows.first(), 'Rp 150.000');
    expect(await rows.count()).toBe(2);
    await waitForText(rows.first(), 'Budi Santoso');
    await page.getByTestId('proof-image').waitFor();
    expect(await page.getByTestId('proof-image').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 300)).toBe(true);
    await waitForText(page.getByTestId('proof-invoices'), 'November 2026');
    await screenshot(page, 'transfer-proofs-01-queue-id');

    // The bank shows 140,000 arrived: approve that amount.
    await page.getByLabel('Jumlah yang masuk').fill('140000');
    await waitForText(page.getByTestId('proof-invoices'), 'Rp 140.000');
    await page.getByTestId('proof-approve').click();
    await waitForText(page.getByTestId('proofs-notice'), /Disetujui\. Pembayaran .+ tercatat\./);
    await waitForText(page.getByTestId('nav-proofs-count'), '1');
    // The receipt is one click away: the payment page prints it.
    expect(await page.getByTestId('proofs-notice-payment').getAttribute('href')).toMatch(/^\/payments\/[0-9a-f-]{36}$/);

    // On to the next one: reject it with a common reason.
    await waitForText(page.getByTestId('proof-review'), 'Rp 75.000');
    await page.getByLabel('Alasan penolakan').selectOption({ label: 'Dana tidak masuk ke rekening' });
    await page.getByTestId('proof-reject').click();
    await waitForText(page.getByTestId('proofs-notice'), 'Ditolak.');
    await page.getByTestId('proofs-empty').waitFor();
    await page.getByTestId('nav-proofs-count').waitFor({ state: 'detached' });

    // Decided ones stay readable under the filter.
    await page.getByTestId('proofs-filter').selectOption('rejected');
    await page.getByTestId('proof-row').first().click();
    await waitForText(page.getByTestId('proof-decision'), 'Dana tidak masuk ke rekening');
    await screenshot(page, 'transfer-proofs-02-rejected-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(page.getByRole('heading', { level: 1 }), 'Transfer proofs');
    await page.getByTestId('proofs-filter').selectOption('verified');
    await page.getByTestId('proof-row').first().click();
    await waitForText(page.getByTestId('proof-decision'), 'Approved');
    await screenshot(page, 'transfer-proofs-03-approved-en');

    const payments = await admin.get(`/estates/${estateId}/payments`);
    expect(payments.body.items.map((p: { amount: number; paid_at: string }) => p.amount)).toEqual([140_000]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('the resident sees approved (with the receipt) and rejected (with the reason) on a phone, without sideways scrolling', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${server.url}/portal/login`, resident.email, resident.password);
    await page.goto(`${server.url}/portal/bills`);
    const cards = page.getByTestId('my-proof');
    await waitForText(cards.first(), 'Ditolak');
    await waitForText(page.getByTestId('my-proof-reason'), 'Dana tidak masuk ke rekening');
    const approved = page.locator('[data-testid="my-proof"][data-status="verified"]');
    await waitForText(approved, 'Disetujui');
    const receipt = approved.getByTestId('my-proof-receipt');
    const href = await receipt.getAttribute('href');
    const pdf = await page.request.get(new URL(href!, server.url).toString());
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect(await noHorizontalScroll(page)).toBe(true);
    await approved.scrollIntoViewIfNeeded();
    await screenshot(page, 'transfer-proofs-04-portal-id');

    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(approved, 'Approved');
    await waitForText(page.getByTestId('my-proof-reason'), 'Reason');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'transfer-proofs-05-portal-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
