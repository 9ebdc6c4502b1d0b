import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { startFakeWhatsapp, type FakeWhatsapp } from '../support/fake-whatsapp.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import {
  DESKTOP,
  PHONE,
  launchChromium,
  newPage,
  noHorizontalScroll,
  pageErrors,
  screenshot,
  signIn,
  waitForText,
} from './support/browser.ts';

/**
 * Delivered and read statuses on the office's screens at 1366×768: the WAHA stand-in posts signed message.ack
 * callbacks for two of three payment messages; Resident messages counts the day's "payment received" messages per
 * status and lists the one unit not reached; the gateway card shows the callback address and takes the HMAC key
 * write-only; in Indonesian and English.
 */
const WAHA_KEY = 'waha-key-delivery-browser';
const WAHA_HMAC = 'waha-hmac-delivery-browser';
let server: TestServer;
let browser: Browser;
let waha: FakeWhatsapp;
let admin: ApiClient;
let estateId: string;
let treasurer: { email: string; password: string };
let announcementId: string;

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

beforeAll(async () => {
  server = await startTestServer({ backgroundJobs: false });
  browser = await launchChromium();
  waha = await startFakeWhatsapp('waha', WAHA_KEY);
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  const saved = await admin.put(e('/settings/message-channels/wa-gateway'), {
    enabled: true,
    provider: 'waha',
    base_url: waha.url,
    session: 'default',
    token: WAHA_KEY,
    webhook_secret: WAHA_HMAC,
    quiet_from: null,
    quiet_to: null,
    min_gap_s: 0,
    max_gap_s: 0,
  });
  expect(saved.status, saved.text).toBe(200);
  const payments: string[] = [];
  for (const [code, name, phone] of [
    ['A-1', 'Budi Santoso', '0812-1111-2222'],
    ['A-2', 'Sari Dewi', '0813-3333-4444'],
    ['A-3', 'Joko Widodo', '0814-5555-6666'],
  ]) {
    const unit = await admin.post(e('/units'), { code, block: 'A' });
    await admin.post(e('/residents'), { name, unit_id: unit.body.id, relation: 'owner', phone });
    const paid = await admin.post(e('/payments'), {
      unit_id: unit.body.id,
      amount: 150_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(201);
    payments.push(paid.body.id);
  }
  const draft = await admin.post(e('/announcements'), {
    title: 'Kerja bakti Minggu pagi',
    body_html: '<p>Kumpul di pos satpam pukul 07.00.</p>',
    channels: ['portal', 'whatsapp'],
  });
  expect(draft.status, draft.text).toBe(201);
  announcementId = draft.body.id;
  expect((await admin.post(e(`/announcements/${announcementId}/publish`), { publish_at: null })).status).toBe(200);
  await new JobRunner(server.app, { jobs: allJobs, now: () => new Date(), workerId: 'w-browser' }).runDue();
  const rows = await server.db.knex('messages').whereIn('cause_id', payments).where({ channel: 'wa_gateway' }).orderBy('recipient');
  expect(rows.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  const hook = `${server.url}/api/v1/estates/${estateId}/webhooks/waha`;
  const announced = await server.db.knex('messages').where({ cause_id: announcementId, channel: 'wa_gateway' }).orderBy('recipient');
  expect(announced.map((r) => r.status)).toEqual(['sent', 'sent', 'sent']);
  // The announcement read on A-2's phone only.
  expect((await waha.postAck(hook, WAHA_HMAC, announced[1].provider_message_id, 'READ')).body.applied).toBe(1);
  // Payments: A-1 read, A-2 delivered, A-3 nothing yet.
  expect((await waha.postAck(hook, WAHA_HMAC, rows[0].provider_message_id, 'READ')).body.applied).toBe(1);
  expect((await waha.postAck(hook, WAHA_HMAC, rows[1].provider_message_id, 'DEVICE')).body.applied).toBe(1);
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  await waha?.close();
});

describe('delivery statuses on the office screens', () => {
  it("counts the day's payment messages by status and lists the unit not reached", async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Pesan warga');
    const report = page.getByTestId('delivery-report');
    await report.locator('select[name="delivery_template"]').selectOption('payment_received');
    await waitForText(report.getByTestId('delivery-channel-wa_gateway'), 'WhatsApp');
    expect(await report.getByTestId('delivery-wa_gateway-sent').textContent()).toBe('1');
    expect(await report.getByTestId('delivery-wa_gateway-delivered').textContent()).toBe('1');
    expect(await report.getByTestId('delivery-wa_gateway-read').textContent()).toBe('1');
    expect(await report.getByTestId('delivery-wa_gateway-failed').textContent()).toBe('0');
    const notReached = report.getByTestId('not-reached-unit');
    await expect.poll(() => notReached.count()).toBe(1);
    expect(await notReached.first().textContent()).toContain('A-3');
    await waitForText(report, 'Unit yang belum terjangkau: 1 dari 3');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-delivery-desktop-id');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it("opens one announcement's WhatsApp reach from its report", async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/announcements/${announcementId}`);
    // The announcement's own report counts its WhatsApp messages as the outbox does: two only sent, one read.
    const own = page.getByTestId('delivery-channel-whatsapp');
    await waitForText(own, 'WhatsApp');
    expect(await own.getByTestId('delivery-whatsapp-sent').textContent()).toBe('2');
    expect(await own.getByTestId('delivery-whatsapp-delivered').textContent()).toBe('0');
    expect(await own.getByTestId('delivery-whatsapp-read').textContent()).toBe('1');
    await screenshot(page, 'message-delivery-announcement-report-id');
    await page.getByRole('link', { name: 'WhatsApp dan email: terkirim, sampai dan dibaca per unit' }).click();
    const report = page.getByTestId('delivery-report');
    await waitForText(report, 'Satu pengumuman, semua pesannya.');
    await waitForText(report, 'Unit yang belum terjangkau: 2 dari 3');
    expect(await report.getByTestId('delivery-wa_gateway-read').textContent()).toBe('1');
    expect(await report.getByTestId('delivery-wa_gateway-sent').textContent()).toBe('2');
    const notReached = await report.getByTestId('not-reached-unit').allTextContents();
    expect(notReached.map((text) => text.slice(0, 3))).toEqual(['A-1', 'A-3']);
    await screenshot(page, 'message-delivery-announcement-id');
    await report.getByRole('button', { name: 'Pilih per hari' }).click();
    await expect.poll(() => report.locator('select[name="delivery_template"]').count()).toBe(1);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('fits a phone', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/messages`);
    const report = page.getByTestId('delivery-report');
    await report.locator('select[name="delivery_template"]').selectOption('payment_received');
    await waitForText(report, 'Unit yang belum terjangkau: 1 dari 3');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-delivery-phone-id');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('reads in English, and the gateway card shows the callback address with the key kept', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await inEnglish(context);
    await page.goto(`${server.url}/messages`);
    await waitForText(page.getByRole('heading', { level: 1 }), 'Resident messages');
    const report = page.getByTestId('delivery-report');
    await report.locator('select[name="delivery_template"]').selectOption('payment_received');
    await waitForText(report, 'Units not reached yet: 1 of 3');
    await waitForText(report.getByTestId('delivery-counts'), 'Delivered');
    await screenshot(page, 'message-delivery-desktop-en');

    await page.goto(`${server.url}/settings/messages`);
    const hookBox = page.getByTestId('status-webhook');
    await waitForText(hookBox, 'Delivered and read statuses');
    expect(await hookBox.locator('input[name="status_webhook_url"]').inputValue()).toBe(
      `${server.url}/api/v1/estates/${estateId}/webhooks/waha`,
    );
    await waitForText(hookBox, 'Saved. Fill in only to change it.');
    expect(await hookBox.locator('input[name="webhook_secret"]').inputValue()).toBe('');
    expect(await page.content()).not.toContain(WAHA_HMAC);
    await hookBox.scrollIntoViewIfNeeded();
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'message-delivery-settings-en');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
