// Takes the README's screenshots (docs/screenshots/*.png) from a real server with a sample estate, in Chromium, at
// the size each screen is used: the treasurer's desktop (1366×768), the guard's kiosk (1280×800, touch) and the
// resident's phone (390×844). Run with `npm run screenshots` after `npm run build:renderer`.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Page } from 'playwright-core';
import { RENDERER_DIST } from '../server/http/app.ts';
import { setupEstate, startTestServer, userWithRole, type ApiClient } from '../tests/support/server.ts';
import { DESKTOP, PHONE, launchChromium, networkSettled } from '../tests/browser/support/browser.ts';

const OUT = path.join(path.dirname(fileURLToPath(import.meta.url)), 'screenshots');
const KIOSK = { width: 1280, height: 800 };
const PIN = '246810';

const GIVEN = ['Budi', 'Siti', 'Agus', 'Dewi', 'Rudi', 'Sri', 'Andi', 'Rina', 'Joko', 'Wati', 'Hendra', 'Yuni'];
const FAMILY = ['Santoso', 'Wijaya', 'Hidayat', 'Saputra', 'Kusuma', 'Pratama', 'Lestari', 'Nugroho'];

async function ok<T = any>(res: Promise<{ status: number; body: T; text: string }>): Promise<T> {
  const r = await res;
  if (r.status >= 300) throw new Error(`${r.status} ${r.text}`);
  return r.body;
}

function addMonths(period: string, n: number): string {
  const [y, m] = period.split('-').map(Number);
  const d = new Date(Date.UTC(y, m - 1 + n, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, '0')}`;
}

/** A small estate as a treasurer would have it after two months: units, residents, dues billed, some paid, spending. */
async function seed(admin: ApiClient, estateId: string) {
  const e = (p: string) => `/estates/${estateId}${p}`;
  const cal = await ok<{ today: string; period: string; now: string }>(admin.get(e('/calendar')));
  const units: { id: string; code: string; name: string; resident: string }[] = [];
  for (const [b, block] of ['A', 'B', 'C'].entries()) {
    for (let n = 1; n <= 8; n++) {
      const code = `${block}-${n}`;
      const unit = await ok(admin.post(e('/units'), { code, block, type: 'rumah', occupancy: 'occupied' }));
      const i = b * 8 + n;
      const name = `${GIVEN[i % GIVEN.length]} ${FAMILY[(i * 5) % FAMILY.length]}`;
      const phone = `0812${String(10_000_000 + i * 7_919).slice(0, 8)}`;
      const person = await ok(admin.post(e('/residents'), { name, phone, unit_id: unit.id, relation: 'owner' }));
      units.push({ id: unit.id, code, name, resident: person.id });
    }
  }
  const start = addMonths(cal.period, -1);
  await ok(
    admin.post(e('/fee-types'), {
      code: 'IPL',
      name: 'Iuran keamanan & kebersihan',
      amount: 150_000,
      basis: 'flat',
      effective_from: start,
    }),
  );
  await ok(admin.post(e('/fee-types'), { code: 'SMP', name: 'Sampah', amount: 25_000, basis: 'flat', effective_from: start }));
  await ok(admin.post(e('/billing-runs'), { period: start, due_date: `${start}-10` }));
  await ok(admin.post(e('/billing-runs'), { period: cal.period, due_date: `${cal.period}-10` }));
  for (const [i, unit] of units.entries()) {
    if (i % 4 === 3) continue;
    const amount = i % 3 === 0 ? 350_000 : 175_000;
    await ok(admin.post(e('/payments'), { unit_id: unit.id, amount, method: i % 2 ? 'cash' : 'bank_transfer', paid_at: cal.today }));
  }
  const accounts = await ok<{ items: { id: string; kind: string }[] }>(admin.get(e('/cashbook/accounts')));
  const cash = accounts.items.find((a) => a.kind === 'cash') ?? accounts.items[0];
  await ok(
    admin.post(e('/cashbook/entries'), {
      account_id: cash.id,
      direction: 'out',
      amount: 1_200_000,
      category: 'guard_salary',
      entry_date: cal.today,
      description: 'Gaji satpam',
    }),
  );
  const gate = await ok(admin.post(e('/gates'), { name: 'Gerbang Utama' }));
  await ok(admin.post(e('/gate/guards'), { name: 'Pak Joko', pin: PIN }));
  const device = await ok(admin.post(e('/devices'), { name: 'Tablet pos utama', kind: 'kiosk' }));
  return { units, gate, pairingCode: device.pairing_code as string };
}

async function shot(page: Page, name: string) {
  await networkSettled(page);
  await page.screenshot({ path: path.join(OUT, `${name}.png`) });
  process.stdout.write(`  docs/screenshots/${name}.png\n`);
}

async function signIn(page: Page, url: string, login: string, password: string) {
  await page.goto(url);
  await page.getByLabel('Email atau nomor HP').fill(login);
  await page.getByLabel('Kata sandi', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Masuk', exact: true }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/login'));
}

async function main() {
  if (!fs.existsSync(path.join(RENDERER_DIST, 'index.html'))) throw new Error('Build the renderer first: npm run build:renderer');
  fs.mkdirSync(OUT, { recursive: true });
  const server = await startTestServer({ options: { loginRateLimitPerMinute: 1000 } });
  const browser = await launchChromium();
  try {
    const { client: admin, estateId, admin: adminLogin } = await setupEstate(server.url);
    const { units, pairingCode } = await seed(admin, estateId);
    const context = (viewport: { width: number; height: number }, touch = false) =>
      browser.newContext({ viewport, locale: 'id-ID', timezoneId: 'Asia/Jakarta', hasTouch: touch });

    // The treasurer's desktop.
    const office = await (await context(DESKTOP)).newPage();
    await signIn(office, `${server.url}/login`, adminLogin.email, adminLogin.password);
    await office.goto(`${server.url}/`);
    await shot(office, 'office-dashboard');
    await office.goto(`${server.url}/invoices`);
    await shot(office, 'office-invoices');
    await office.goto(`${server.url}/units/${units[3].id}/account`);
    await shot(office, 'office-account-card');
    await office.goto(`${server.url}/cashbook`);
    await shot(office, 'office-cashbook');
    await office.goto(`${server.url}/payments/new`);
    await shot(office, 'office-record-payment');

    // The guard's kiosk: paired, a shift started, ready to scan.
    const kiosk = await (await context(KIOSK, true)).newPage();
    await kiosk.goto(`${server.url}/kiosk?estate=${estateId}`);
    await kiosk.getByLabel('Kode pemasangan').fill(pairingCode);
    await kiosk.getByRole('button', { name: 'Pasangkan' }).click();
    await kiosk.getByRole('button', { name: 'Gerbang Utama' }).click();
    await kiosk.getByRole('button', { name: 'Pak Joko' }).click();
    const pinPad = kiosk.getByTestId('pin-pad');
    for (const digit of PIN) await pinPad.getByRole('button', { name: digit, exact: true }).click();
    await pinPad.getByRole('button', { name: 'Mulai shift' }).click();
    await kiosk.getByTestId('on-duty').waitFor();
    await shot(kiosk, 'kiosk-ready');

    // The resident's phone.
    const resident = await userWithRole(server.url, admin, estateId, 'resident', { resident_id: units[3].resident, name: units[3].name });
    const phone = await (await context(PHONE, true)).newPage();
    await signIn(phone, `${server.url}/portal/login`, resident.email, resident.password);
    await phone.goto(`${server.url}/portal`);
    await shot(phone, 'portal-home');
    await phone.goto(`${server.url}/portal/bills`);
    await shot(phone, 'portal-bills');
    await phone.goto(`${server.url}/portal/guests`);
    await shot(phone, 'portal-guests');
  } finally {
    await browser.close();
    await server.close();
  }
}

await main();
