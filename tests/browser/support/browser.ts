import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Locator, type Page } from 'playwright-core';

/** Debian's Chromium; the flags keep it from phoning home or needing a GPU on build machines. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}

export const DESKTOP = { width: 1366, height: 768 };
export const PHONE = { width: 390, height: 844 };

const errorsByPage = new WeakMap<Page, string[]>();
const pendingByPage = new WeakMap<Page, Set<unknown>>();

/** The live-updates stream stays open for as long as a page shows, so it never counts as pending. */
const isLiveStream = (url: string) => /\/api\/v1\/estates\/[^/]+\/live(\?|$)/.test(url);

export async function newPage(
  browser: Browser,
  viewport: { width: number; height: number },
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta' });
  const page = await context.newPage();
  // A page error is a bug in the renderer; collect it so the test can fail on it.
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  errorsByPage.set(page, errors);
  trackRequests(page);
  return { context, page };
}

function trackRequests(page: Page): Set<unknown> {
  const pending = new Set<unknown>();
  page.on('request', (r) => {
    if (!isLiveStream(r.url())) pending.add(r);
  });
  page.on('requestfinished', (r) => pending.delete(r));
  page.on('requestfailed', (r) => pending.delete(r));
  pendingByPage.set(page, pending);
  return pending;
}

/**
 * Waits until the page has had no request in flight for 500 ms, as Playwright's 'networkidle' does, except for the
 * live-updates stream, which is open for as long as the page shows (so 'networkidle' never comes on those pages).
 */
export async function networkSettled(page: Page, timeoutMs = 30_000): Promise<void> {
  await page.waitForLoadState('load');
  // A page made elsewhere is followed from now on: requests already in flight are not seen.
  const pending = pendingByPage.get(page) ?? trackRequests(page);
  const deadline = Date.now() + timeoutMs;
  let quietSince = Date.now();
  while (Date.now() - quietSince < 500) {
    if (Date.now() > deadline) throw new Error(`network still busy after ${timeoutMs} ms`);
    if (pending.size > 0) quietSince = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export function pageErrors(page: Page): string[] {
  return errorsByPage.get(page) ?? [];
}

/** Screenshots land in KLUSTERA_SCREENSHOTS (default /tmp/klustera-screenshots) for people to look at. */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.KLUSTERA_SCREENSHOTS ?? '/tmp/klustera-screenshots';
  fs.mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/** Waits until the locator shows text containing `text`; throws (failing the test) if it never does. */
export async function waitForText(locator: Locator, text: string | RegExp): Promise<void> {
  await locator.filter({ hasText: text }).first().waitFor({ state: 'visible' });
}

/** Waits for the address bar to reach `pathname` (query string ignored). */
export async function waitForPath(page: Page, pathname: string): Promise<void> {
  await page.waitForURL((url) => url.pathname === pathname);
}

/** Signs in on the login page at `url` (Indonesian labels) and waits until the app has left it. */
export async function signIn(page: Page, url: string, login: string, password: string): Promise<void> {
  await page.goto(url);
  await page.getByLabel('Email atau nomor HP').fill(login);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

/** Whether the page fits its viewport's width (nothing to scroll sideways). */
export const noHorizontalScroll = (page: Page): Promise<boolean> =>
  page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth);
