import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { ScopedStore, SYSTEM_ACTOR } from '../../server/db/scoped-store.ts';
import { raiseLedgerNotice } from '../../server/ledger/index.ts';
import { setupEstate, startTestServer, userWithRole, type TestServer } from '../support/server.ts';
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
 * The treasurer's notices panel on the dashboard in Chromium: an overpayment notice is read in Indonesian and English
 * at the office's 1366×768 and on a phone, marked read, and gone; a staff member never sees the panel.
 */
let server: TestServer;
let browser: Browser;
let estateId: string;
let treasurer: { email: string; password: string };
let staff: { email: string; password: string };

beforeAll(async () => {
  server = await startTestServer();
  browser = await launchChromium();
  const setup = await setupEstate(server.url);
  const admin = setup.client;
  estateId = setup.estateId;
  const e = (p: string) => `/estates/${estateId}${p}`;
  const unit = await admin.post(e('/units'), { code: 'B-7', block: 'B' });
  const charge = await admin.post(e('/charges'), {
    name: 'Iuran November',
    amount: 150_000,
    period: '2026-11',
    due_date: '2026-11-20',
    unit_ids: [unit.body.id],
  });
  expect(charge.status, charge.text).toBe(201);
  const paid = await admin.post(e('/payments'), { unit_id: unit.body.id, amount: 150_000, method: 'cash', paid_at: '2026-11-05' });
  expect(paid.status, paid.text).toBe(201);
  const invoiceId = paid.body.allocations[0].invoice_id as string;
  const online = await admin.post(e('/payments'), { unit_id: unit.body.id, amount: 150_000, method: 'qris', paid_at: '2026-11-06' });
  expect(online.status, online.text).toBe(201);
  const store = new ScopedStore(server.db.knex, estateId, SYSTEM_ACTOR, server.app.sync);
  await raiseLedgerNotice(store, {
    kind: 'overpayment',
    unitId: unit.body.id,
    invoiceId,
    paymentId: online.body.id,
    amount: 150_000,
    dedupeKey: `overpayment:${invoiceId}:${online.body.id}`,
  });
  const t = await userWithRole(server.url, admin, estateId, 'treasurer');
  treasurer = { email: t.email, password: t.password };
  const s = await userWithRole(server.url, admin, estateId, 'staff');
  staff = { email: s.email, password: s.password };
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('ledger notices on the dashboard', () => {
  it('the treasurer reads an overpayment notice in Indonesian and English and marks it read', async () => {
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, treasurer.email, treasurer.password);
    await page.goto(`${server.url}/`);
    const panel = page.getByTestId('ledger-notices');
    await waitForText(panel, 'Pemberitahuan pembukuan');
    await waitForText(panel, 'menjadi saldo titipan karena tagihan');
    await waitForText(panel, 'Rp 150.000');
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'ledger-notices-01-desktop-id');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(panel, 'became credit because invoice');
    await waitForText(panel, 'Mark as read');
    await screenshot(page, 'ledger-notices-02-desktop-en');
    await page.getByRole('button', { name: 'ID', exact: true }).click();
    await page.setViewportSize(PHONE);
    expect(await noHorizontalScroll(page)).toBe(true);
    await screenshot(page, 'ledger-notices-03-phone-id');
    await page.setViewportSize(DESKTOP);
    await panel.getByRole('button', { name: 'Tandai sudah dibaca' }).click();
    await panel.waitFor({ state: 'detached' });
    const notices = await server.db.knex('ledger_notices').where({ estate_id: estateId });
    expect(notices).toHaveLength(1);
    expect(notices[0].acknowledged_at).not.toBeNull();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });

  it('staff do not see the panel', async () => {
    await server.db.knex('ledger_notices').where({ estate_id: estateId }).update({ acknowledged_at: null });
    const { context, page } = await newPage(browser, DESKTOP);
    await signIn(page, `${server.url}/login`, staff.email, staff.password);
    await page.goto(`${server.url}/`);
    await page.getByTestId('stat-collection').waitFor();
    expect(await page.getByTestId('ledger-notices').count()).toBe(0);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
