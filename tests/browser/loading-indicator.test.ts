import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { setupEstate, startTestServer, type TestServer } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, pageErrors } from './support/browser.ts';

/**
 * "Memuat…" shows only when loading takes a while: on a local server the data arrives within a few frames, and an
 * indicator that flashes up and away reads as flicker (bench/first-paint.bench.ts counts such flashes).
 */
let server: TestServer;
let browser: Browser;

beforeAll(async () => {
  server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  await setupEstate(server.url);
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
});

describe('the loading indicator in Chromium', () => {
  it('stays invisible for a quick load and appears when the session takes long', async () => {
    const { page, context } = await newPage(browser, DESKTOP);
    // The session answer is held back for 1.5 s: long enough that the indicator must appear in the meantime.
    await page.route('**/api/v1/auth/me', async (route) => {
      await new Promise((resolve) => setTimeout(resolve, 1500));
      await route.continue();
    });
    // How the indicator looks the moment it enters the page (a slow machine may look later than that).
    await page.addInitScript(`new MutationObserver(() => {
      const el = document.querySelector('.loading');
      if (el && !window.__loadingAtInsert) window.__loadingAtInsert = getComputedStyle(el).visibility;
    }).observe(document, { childList: true, subtree: true });`);
    await page.goto(`${server.url}/login`);
    const loading = page.locator('.loading');
    await loading.waitFor({ state: 'attached' });
    // In the DOM at once, but not on screen during the first moments.
    expect(await page.evaluate(() => (window as unknown as { __loadingAtInsert?: string }).__loadingAtInsert)).toBe('hidden');
    await loading.waitFor({ state: 'visible', timeout: 5000 });
    expect(await loading.textContent()).toContain('Memuat');
    await page.getByLabel('Email atau nomor HP').waitFor();
    expect(pageErrors(page)).toEqual([]);
    await context.close();
  });
});
