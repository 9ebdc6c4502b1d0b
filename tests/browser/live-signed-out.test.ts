// A screen whose session ends elsewhere (signed out on another tab, revoked by an administrator) does not keep hearing
// live updates: the server ends its stream, the reconnect is refused with 401, and the screen goes to sign-in.
import fs from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { RENDERER_DIST } from '../../server/http/app.ts';
import { ADMIN, apiClient, setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors, screenshot, signIn, waitForPath } from './support/browser.ts';

let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  if (!fs.existsSync(`${RENDERER_DIST}/index.html`)) throw new Error('Build the renderer first: npm run build:renderer');
  server = await startTestServer({ options: { liveRecheckMs: 300, loginRateLimitPerMinute: 1000 } });
  browser = await launchChromium();
  await setupEstate(server.url);
});

afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('a live screen whose session ended, 1366×768', () => {
  it('goes to the sign-in page by itself once its session is signed out elsewhere', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    const live = page.waitForRequest((r) => /\/api\/v1\/estates\/[^/]+\/live$/.test(r.url()));
    await signIn(page, `${server.url}/login`, ADMIN.email, ADMIN.password);
    await page.goto(`${server.url}/units`);
    await live;

    // The same session, signed out from another tab.
    const session = (await context.cookies()).find((c) => c.name === 'klustera_session')!;
    const other = apiClient(server.url);
    other.cookie = `${session.name}=${session.value}`;
    expect((await other.get('/auth/me')).status).toBe(200);
    expect((await other.post('/auth/logout')).status).toBeLessThan(300);

    // No click, no reload: the stream ends, its reconnect gets 401, and the screen asks for sign-in.
    await waitForPath(page, '/login');
    await page.getByLabel('Email atau nomor HP').waitFor();
    await screenshot(page, 'live-signed-out-login');
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
