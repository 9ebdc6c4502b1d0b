import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { JobRunner } from '../../server/jobs/job-runner.ts';
import { allJobs } from '../../server/jobs/registry.ts';
import { startFakePushService, type FakePushService } from '../support/fake-push-service.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient, type TestServer } from '../support/server.ts';
import { PHONE, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * The portal as an installed app on a 390×844 phone: the manifest is linked, the service worker registers for
 * /portal and shows a push as a notification, and the switch on the notifications page turns push on and off.
 *
 * Headless Chromium has no push service to subscribe with (it would ask Google's, which the build machines cannot
 * reach), so `PushManager.subscribe` answers a subscription of the fake push service on 127.0.0.1, with keys made by
 * the test; everything after it (the switch, the API, the push signed and encrypted to those keys) is real.
 */
let server: TestServer;
let browser: Browser;
let push: FakePushService;
let admin: ApiClient;
let estateId: string;
let unitId: string;
let resident: { email: string; password: string; client: ApiClient };
const previousServices = process.env.KLUSTERA_PUSH_SERVICES;

beforeAll(async () => {
  push = await startFakePushService();
  process.env.KLUSTERA_PUSH_SERVICES = push.origin;
  server = await startTestServer({ backgroundJobs: false });
  browser = await launchChromium();
  ({ client: admin, estateId } = await setupEstate(server.url));
  const e = (p: string) => `/estates/${estateId}${p}`;
  unitId = (await admin.post(e('/units'), { code: 'C-3', block: 'C' })).body.id;
  const warga = await admin.post(e('/residents'), { name: 'Sari Wulandari', unit_id: unitId, relation: 'owner' });
  const r = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: warga.body.id });
  resident = { email: r.email, password: r.password, client: r.client };
}, 60_000);

afterAll(async () => {
  if (previousServices === undefined) delete process.env.KLUSTERA_PUSH_SERVICES;
  else process.env.KLUSTERA_PUSH_SERVICES = previousServices;
  await browser?.close();
  await server?.close();
  await push?.close();
});

describe('the portal as an app with push notifications', () => {
  it('links the manifest, registers the service worker for /portal, and the switch turns push on and off', async () => {
    const device = push.subscription();
    const { context, page } = await newPage(browser, PHONE);
    await context.grantPermissions(['notifications'], { origin: server.url });
    await context.addInitScript((sub) => {
      const made = () => ({
        endpoint: sub.endpoint,
        expirationTime: null,
        toJSON: () => ({ endpoint: sub.endpoint, expirationTime: null, keys: sub.keys }),
        unsubscribe: async () => {
          localStorage.removeItem('test.push');
          return true;
        },
      });
      PushManager.prototype.subscribe = async function (options?: PushSubscriptionOptionsInit) {
        const key = new Uint8Array(options?.applicationServerKey as ArrayBuffer);
        localStorage.setItem('test.push', btoa(String.fromCharCode(...key)));
        return made() as unknown as PushSubscription;
      };
      PushManager.prototype.getSubscription = async function () {
        return (localStorage.getItem('test.push') ? made() : null) as unknown as PushSubscription;
      };
    }, device);

    await signIn(page, `${server.url}/portal/login`, resident.email, resident.password);
    await page.goto(`${server.url}/portal/notifications`);
    const toggle = page.getByTestId('push-toggle');
    await toggle.waitFor({ state: 'visible' });

    const manifestHref = await page.evaluate(() => document.querySelector<HTMLLinkElement>('link[rel="manifest"]')?.href);
    expect(manifestHref).toBe(`${server.url}/portal.webmanifest`);
    const manifest = await (await fetch(manifestHref!)).json();
    expect(manifest).toMatchObject({ start_url: '/portal', scope: '/portal', display: 'standalone', theme_color: '#0f3d3e' });
    for (const icon of manifest.icons) {
      const res = await fetch(`${server.url}${icon.src}`);
      expect(res.headers.get('content-type')).toBe('image/png');
    }
    const worker = await page.evaluate(async () => {
      const registration = await navigator.serviceWorker.ready;
      return { scope: registration.scope, script: registration.active?.scriptURL };
    });
    expect(worker).toEqual({ scope: `${server.url}/portal`, script: `${server.url}/portal-sw.js` });

    // The worker shows a push as a notification under the message's tag, opening only portal pages.
    const sw = context.serviceWorkers().find((w) => w.url().endsWith('/portal-sw.js')) ?? (await context.waitForEvent('serviceworker'));
    const shown = await sw.evaluate(async () => {
      // The test's TypeScript knows the page's globals, not a worker's: the two it uses are named here.
      const scope = self as unknown as { registration: ServiceWorkerRegistration; dispatchEvent(event: Event): boolean };
      const PushEventOf = (self as unknown as { PushEvent: new (type: string, init: { data: string }) => Event }).PushEvent;
      const show = (data: unknown) =>
        new Promise<void>((resolve) => {
          const event = new PushEventOf('push', { data: JSON.stringify(data) });
          scope.dispatchEvent(event);
          setTimeout(resolve, 300);
        });
      await show({ title: 'Pembayaran diterima', body: 'Rp 150.000', url: '/portal/bills', tag: 'm-1' });
      await show({ title: 'Tautan luar', body: 'x', url: 'https://contoh.invalid/', tag: 'm-2' });
      const list = await scope.registration.getNotifications();
      return list.map((n: Notification) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data.url }));
    });
    expect(shown).toEqual(
      expect.arrayContaining([
        { title: 'Pembayaran diterima', body: 'Rp 150.000', tag: 'm-1', url: '/portal/bills' },
        { title: 'Tautan luar', body: 'x', tag: 'm-2', url: '/portal/notifications' },
      ]),
    );

    expect(await toggle.isChecked()).toBe(false);
    await screenshot(page, 'portal-push-off-id');
    await toggle.click();
    await waitForText(page.getByTestId('push-hint'), 'Aktif');
    expect(await toggle.isChecked()).toBe(true);
    const status = await resident.client.get(`/estates/${estateId}/portal/push`);
    expect(status.body.subscriptions).toHaveLength(1);
    expect(status.body.subscriptions[0].device).toMatch(/Chrome · Linux/);
    const usedKey = await page.evaluate(() => localStorage.getItem('test.push'));
    expect(Buffer.from(usedKey!, 'base64').toString('base64url')).toBe(status.body.public_key);
    await screenshot(page, 'portal-push-on-id');
    expect(await noHorizontalScroll(page)).toBe(true);

    // A payment now reaches this phone's subscription.
    const paid = await admin.post(`/estates/${estateId}/payments`, {
      unit_id: unitId,
      amount: 75_000,
      method: 'cash',
      paid_at: new Date().toISOString(),
    });
    expect(paid.status, paid.text).toBe(201);
    await new JobRunner(server.app, { jobs: allJobs, now: () => new Date(), workerId: 'w-push' }).runDue();
    expect(push.received.filter((p) => p.subscription === device.id).map((p) => (p.payload as { title: string }).title)).toEqual([
      'Pembayaran diterima: C-3 Rp 75.000',
    ]);

    // In English, and off again.
    await page.evaluate(() => localStorage.setItem('klustera.language', 'en'));
    await page.reload();
    await waitForText(page.getByTestId('push-hint'), 'On:');
    await screenshot(page, 'portal-push-on-en');
    await page.getByTestId('push-toggle').click();
    await waitForText(page.getByTestId('push-hint'), 'Turn on');
    expect((await resident.client.get(`/estates/${estateId}/portal/push`)).body.subscriptions).toEqual([]);
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
