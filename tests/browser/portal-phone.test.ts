import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { portalRoutes } from '../../renderer/src/faces/portal/routes.ts';
import { ADMIN, apiClient } from '../support/server.ts';
import { addUnit, gatePostWorld, hoursFromNow, type GatePostWorld } from '../api/gate-post-fixture.ts';
import { DESKTOP, PHONE, launchChromium, networkSettled, newPage, pageErrors, screenshot, waitForText } from './support/browser.ts';

/**
 * Every page of the resident portal on a 390×844 phone, in Indonesian and in English, with the data that breaks
 * layouts in real estates: long names, a long unit code, a long estate name, several bills in every state, passes,
 * visits and notifications. A page fails when anything makes it scroll sideways or sticks out of the screen, when a
 * control is shorter than a thumb (44 px), or when it promises something "coming soon".
 */
const ESTATE = 'Perumahan Griya Asri Permai Sejahtera Residence Cluster Bougenville Raya';
const RESIDENT = 'Raden Mas Bambang Sutrisno Wicaksono Adinegoro Kusumawardhani';
const UNIT = 'RUKO-GRAND-BOULEVARD-17A';
const PASSWORD = 'rahasia-warga-panjang-1';

let w: GatePostWorld;
let browser: Browser;
let residentLogin: string;
let inviteCode: string;
let nextDue: string;
let overdueSince: string;
let guestLink: string;
let announcementId: string;

const addDays = (day: string, days: number) => new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);

beforeAll(async () => {
  w = await gatePostWorld(ESTATE);
  const e = (p: string) => `${w.base}${p}`;
  const unitId = await addUnit(w.admin, w.estateId, UNIT);
  const today: string = (await w.admin.get(e('/calendar'))).body.today;

  // Four bills: one paid in full (its receipt), one partly paid and overdue, one overdue, one due later.
  const dues: Array<[string, number]> = [
    [addDays(today, -70), 250_000],
    [addDays(today, -40), 1_250_000],
    [addDays(today, -10), 175_500],
    [addDays(today, 12), 1_500_000],
  ];
  for (const [due, amount] of dues) {
    const charge = await w.admin.post(e('/charges'), {
      name: `Iuran Pengelolaan Lingkungan, Keamanan dan Kebersihan ${due}`,
      amount,
      period: due.slice(0, 7),
      due_date: due,
      unit_ids: [unitId],
    });
    expect(charge.status, charge.text).toBe(201);
  }
  overdueSince = dues[1]![0];
  nextDue = dues[3]![0];
  const paid = await w.admin.post(e('/payments'), {
    unit_id: unitId,
    amount: 250_000 + 400_000,
    method: 'cash',
    paid_at: new Date().toISOString(),
  });
  expect(paid.status, paid.text).toBe(201);
  const bank = await w.admin.put(e('/settings/bank-account'), {
    bank_name: 'Bank Pembangunan Daerah Jawa Barat dan Banten Syariah',
    account_number: '0012-3456-7890-1234-56',
    account_holder: 'Paguyuban Warga Perumahan Griya Asri Permai Sejahtera RT 003 RW 011',
  });
  expect(bank.status, bank.text).toBe(200);

  // Living there since before the first bill: the portal shows an occupant the bills from their move-in month on.
  const resident = await w.admin.post(e('/residents'), {
    name: RESIDENT,
    unit_id: unitId,
    relation: 'owner',
    phone: '081234567890',
    moved_in_on: addDays(today, -100),
  });
  expect(resident.status, resident.text).toBe(201);
  residentLogin = 'raden.mas.bambang.sutrisno.wicaksono@griya-asri-permai.id';
  const user = await w.admin.post(e('/users'), {
    name: RESIDENT,
    email: residentLogin,
    role: 'resident',
    password: PASSWORD,
    resident_id: resident.body.id,
  });
  expect(user.status, user.text).toBe(201);
  const client = apiClient(w.server.url);
  expect((await client.post('/auth/login', { login: residentLogin, password: PASSWORD })).status).toBe(200);

  // A pending proof with a long reference, guests with long names, one of them inside, and a walk-in.
  const proof = await client.upload(
    e('/portal/transfer-proofs'),
    { amount: '175500', paid_at: today, reference: 'BCA-MOBILE-TRANSFER-REF-26113000012345678901234567890' },
    { file: { filename: 'bukti.png', content: Buffer.from('89504e470d0a1a0a', 'hex'), type: 'image/png' } },
  );
  expect([201, 400]).toContain(proof.status);
  for (const name of ['Christopher Alexander Wijayakusuma Hadiningrat', 'Kurir Paket Ekspedisi Nusantara Cepat']) {
    const pass = await client.post(e('/portal/passes'), {
      name,
      phone: '0813-1111-2222',
      plate: 'B 1234 XYZW',
      purpose: 'Arisan keluarga besar dan syukuran rumah baru di blok belakang',
      valid_from: hoursFromNow(-0.5),
      valid_until: hoursFromNow(6),
      max_uses: 3,
      unit_id: unitId,
    });
    expect(pass.status, pass.text).toBe(201);
    guestLink = /https?:\/\/\S+/.exec(new URL(pass.body.whatsapp_url).searchParams.get('text')!)![0];
    if (name.startsWith('Christopher')) {
      expect((await w.kiosk.post(e('/gate/scan'), { payload: pass.body.qr_payload })).body.verdict).toBe('accepted');
    }
  }
  const walkIn = await w.kiosk.post(e('/gate/walk-ins'), {
    name: 'Petugas PLN Pemeriksaan Meteran Listrik Prabayar',
    unit_id: unitId,
    purpose: 'Pemeriksaan rutin meteran dan penggantian segel',
  });
  expect(walkIn.status, walkIn.text).toBe(201);

  // A pinned announcement with a long title, a long link and a list: the announcement pages and the bell.
  const draft = await w.admin.post(e('/announcements'), {
    title: 'Pemberitahuan pemadaman listrik bergilir dan kerja bakti membersihkan saluran air seluruh blok',
    body_html:
      '<p>Yth. warga, <strong>Minggu pagi</strong> ada kerja bakti.</p><ul><li>Bawa sapu dan cangkul</li><li>Kumpul di pos satpam</li></ul>' +
      '<p><a href="https://griya-asri-permai.id/pengumuman/jadwal-kerja-bakti-dan-pemadaman-listrik-bergilir-2026">jadwal-lengkap-kerja-bakti-dan-pemadaman-listrik-bergilir-2026</a></p>',
    pinned: true,
  });
  expect(draft.status, draft.text).toBe(201);
  announcementId = draft.body.id;
  expect((await w.admin.post(e(`/announcements/${announcementId}/publish`), { publish_at: null })).status).toBe(200);

  // Someone invited who has not chosen a password yet: the invite page.
  const invited = await w.admin.post(e('/users'), {
    name: RESIDENT,
    phone: '0813-2222-3333',
    role: 'resident',
    resident_id: resident.body.id,
  });
  expect(invited.status, invited.text).toBe(201);
  inviteCode = invited.body.invite.code;

  browser = await launchChromium();
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await w?.server.close();
});

/** Where each portal route is opened and what shows that its data has arrived. A new route must be added here. */
const VISITS: Record<string, { url: () => string; signedIn: boolean; ready: string }> = {
  '/': { url: () => '/portal', signedIn: true, ready: '[data-testid="home-owed"]' },
  '/bills': { url: () => '/portal/bills', signedIn: true, ready: '[data-testid="bank-details"]' },
  '/guests': { url: () => '/portal/guests', signedIn: true, ready: '[data-testid="pass-card"]' },
  '/announcements': { url: () => '/portal/announcements', signedIn: true, ready: '[data-testid="announcement-item"]' },
  '/announcements/:id': {
    url: () => `/portal/announcements/${announcementId}`,
    signedIn: true,
    ready: '[data-testid="announcement-body"]',
  },
  '/notifications': { url: () => '/portal/notifications', signedIn: true, ready: '[data-testid="notification-item"]' },
  '/login': { url: () => '/portal/login', signedIn: false, ready: 'form' },
  '/invite/:code': { url: () => `/portal/invite/${inviteCode}`, signedIn: false, ready: 'input[name="password"]' },
  // A link the office shares by WhatsApp; an unknown one shows why it cannot be used, on the same layout.
  '/reset/:token': {
    url: () => '/portal/reset/tautan-yang-tidak-dikenal',
    signedIn: false,
    ready: '[data-testid="reset-link-refused"], [data-testid="reset-form"]',
  },
};

/** What sticks out: the page scrolling sideways, any element past the screen's edges, controls under 44 px. */
function layoutProblems(page: Page): Promise<string[]> {
  return page.evaluate(() => {
    const problems: string[] = [];
    const root = document.scrollingElement!;
    if (root.scrollWidth > root.clientWidth) problems.push(`page scrolls sideways: ${root.scrollWidth} > ${root.clientWidth}`);
    const width = document.documentElement.clientWidth;
    const name = (el: Element) =>
      `${el.tagName.toLowerCase()}${el.className && typeof el.className === 'string' ? `.${el.className.trim().split(/\s+/).join('.')}` : ''}` +
      (el.getAttribute('data-testid') ? `[${el.getAttribute('data-testid')}]` : '') +
      ` "${(el.textContent ?? '').trim().slice(0, 30)}"`;
    const clippedByScroller = (el: Element) => {
      for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
        const r = a.getBoundingClientRect();
        if (getComputedStyle(a).overflowX !== 'visible' && r.left >= 0 && r.right <= width) return true;
      }
      return false;
    };
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      const r = el.getBoundingClientRect();
      if (r.width === 0 || r.height === 0 || getComputedStyle(el).visibility === 'hidden') continue;
      if ((r.right > width + 0.5 || r.left < -0.5) && !clippedByScroller(el)) {
        problems.push(`${name(el)} overflows: ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
      }
    }
    // Text wider than its own box spills over its neighbours (an amount out of its tile) even inside the screen.
    for (const el of Array.from(document.body.querySelectorAll('*'))) {
      if (el.matches('input, select, textarea, svg, svg *') || el.clientWidth === 0) continue;
      if (getComputedStyle(el).overflowX === 'visible' && el.scrollWidth > el.clientWidth + 1) {
        problems.push(`${name(el)} spills out of its box: ${el.scrollWidth} > ${el.clientWidth}`);
      }
    }
    const controls = document.body.querySelectorAll('button, a.btn, input, select, textarea, [role="switch"]');
    for (const el of Array.from(controls)) {
      const input = el as HTMLInputElement;
      if (input.type === 'hidden') continue;
      // A radio button or checkbox is tapped through its label.
      const target = input.type === 'radio' || input.type === 'checkbox' ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      const height = Number.parseFloat(getComputedStyle(target).height) || r.height;
      if (Math.max(height, r.height) < 44 - 0.5) problems.push(`${name(target)} is ${Math.round(r.height)} px tall`);
    }
    if (/segera hadir|coming soon/i.test(document.body.innerText)) problems.push('says "coming soon"');
    return problems;
  });
}

describe('the resident portal on a 390×844 phone', () => {
  it('lists every portal route of the renderer here', () => {
    expect(portalRoutes.map((r) => r.path).sort()).toEqual(Object.keys(VISITS).sort());
  });

  it('the layout check itself sees what sticks out, spills over or is too small to tap', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${w.server.url}/portal/login`);
    await page.locator('form').waitFor();
    expect(await layoutProblems(page)).toEqual([]);
    await page.evaluate(() => {
      const form = document.querySelector('form')!;
      form.insertAdjacentHTML(
        'beforeend',
        '<div style="width:480px">lebar</div><button style="height:30px">kecil</button><div style="width:60px;white-space:nowrap">Rp 2.525.500.000</div>',
      );
    });
    const problems = (await layoutProblems(page)).join('\n');
    expect(problems).toContain('page scrolls sideways');
    expect(problems).toMatch(/div "lebar" overflows/);
    expect(problems).toMatch(/button "kecil" is 30 px tall/);
    expect(problems).toMatch(/div "Rp 2.525.500.000" spills out of its box/);
    await context.close();
  });

  for (const language of ['id', 'en'] as const) {
    it(`has no sideways scrolling, no overflow, no control under 44 px and nothing "coming soon" on any page (${language})`, async () => {
      const signedIn = await newPage(browser, PHONE);
      const signedOut = await newPage(browser, PHONE);
      for (const { context } of [signedIn, signedOut]) {
        await context.addInitScript((lang) => localStorage.setItem('klustera.language', lang), language);
      }
      await signedIn.page.goto(`${w.server.url}/portal/login`);
      await signedIn.page.locator('input[name="login"], input[type="email"], input').first().fill(residentLogin);
      await signedIn.page.locator('input[type="password"]').fill(PASSWORD);
      await signedIn.page.locator('button[type="submit"]').click();
      await signedIn.page.waitForURL((u) => !u.pathname.endsWith('/login'));

      const found: string[] = [];
      for (const route of portalRoutes) {
        const visit = VISITS[route.path]!;
        const { page } = visit.signedIn ? signedIn : signedOut;
        await page.goto(`${w.server.url}${visit.url()}`);
        await page.locator(visit.ready).first().waitFor();
        await networkSettled(page);
        const slug = route.path === '/' ? 'home' : route.path.split('/')[1];
        await screenshot(page, `portal-phone-${slug}-${language}`);
        for (const problem of await layoutProblems(page)) found.push(`${visit.url()}: ${problem}`);
      }
      expect(found).toEqual([]);
      expect(pageErrors(signedIn.page)).toEqual([]);
      expect(pageErrors(signedOut.page)).toEqual([]);
      await signedIn.context.close();
      await signedOut.context.close();
    }, 90_000);
  }

  it('home shows what is owed, since when it is overdue and the next due date, and leads to paying', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${w.server.url}/portal/login`);
    await page.getByLabel('Email atau nomor HP').fill(residentLogin);
    await page.getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/portal');
    // 250,000 + 1,250,000 + 175,500 + 1,500,000 billed, 650,000 paid.
    await waitForText(page.getByTestId('home-owed-amount'), 'Rp 2.525.500');
    const day = (iso: string) =>
      new Intl.DateTimeFormat('id-ID', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' }).format(
        new Date(`${iso}T00:00:00Z`),
      );
    await waitForText(page.getByTestId('home-overdue'), day(overdueSince));
    await waitForText(page.getByTestId('home-next-due'), day(nextDue));
    await page.getByTestId('home-pay').click();
    await page.waitForURL((u) => u.pathname === '/portal/bills');
    // The way to pay: the estate's account with the number to copy.
    await waitForText(page.getByTestId('bank-account-number'), '0012 3456 7890 1234 56');
    await expect
      .poll(() => page.getByTestId('pay-transfer').evaluate((el) => Math.round(el.getBoundingClientRect().top)))
      .toBeLessThan(200);
    await page.getByTestId('bank-copy-number').click();
    await waitForText(page.getByTestId('bank-copy-number'), 'Tersalin');
    expect(await page.evaluate(() => (document.activeElement as HTMLElement | null)?.tagName)).not.toBe('TEXTAREA');
    await context.close();
  });

  it('bills are cards with their status, a receipt button for what was paid and a pay button for what is open', async () => {
    const { context, page } = await newPage(browser, PHONE);
    await page.goto(`${w.server.url}/portal/login`);
    await page.getByLabel('Email atau nomor HP').fill(residentLogin);
    await page.getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.waitForURL((u) => u.pathname === '/portal');
    await page.goto(`${w.server.url}/portal/bills`);
    const cards = page.getByTestId('my-invoice');
    await cards.nth(3).waitFor();
    expect(await cards.count()).toBe(4);
    const byStatus = async (status: string) => page.locator(`[data-testid="my-invoice"][data-status="${status}"]`);
    const paid = await byStatus('paid');
    await waitForText(paid, 'Lunas');
    await expect.poll(() => paid.getByTestId('bill-receipt').isVisible()).toBe(true);
    expect(await paid.getByTestId('bill-pay').count()).toBe(0);
    const partial = await byStatus('partial');
    await waitForText(partial, 'Sebagian');
    await waitForText(partial, 'Lewat jatuh tempo');
    expect(await partial.getByTestId('bill-receipt').isVisible()).toBe(true);
    expect(await partial.getByTestId('bill-pay').isVisible()).toBe(true);
    expect(await page.locator('[data-testid="my-invoice"][data-status="unpaid"] [data-testid="bill-pay"]').count()).toBe(2);
    const href = await paid.getByTestId('bill-receipt').getAttribute('href');
    const pdf = await page.request.get(`${w.server.url}${href}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    await context.close();
  });

  it('the office sets the account at 1366×768 (every field checked at once), and the resident sees the new one', async () => {
    const office = await newPage(browser, DESKTOP);
    const { page } = office;
    await page.goto(`${w.server.url}/login`);
    await page.getByLabel('Email atau nomor HP').fill(ADMIN.email);
    await page.getByLabel('Kata sandi', { exact: true }).fill(ADMIN.password);
    await page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await page.waitForURL((u) => !u.pathname.endsWith('/login'));
    await page.goto(`${w.server.url}/settings`);
    const form = page.getByTestId('bank-account-form');
    await expect.poll(() => form.getByLabel('Nama bank').inputValue()).toBe('Bank Pembangunan Daerah Jawa Barat dan Banten Syariah');

    await form.getByLabel('Nama bank').fill('');
    await form.getByLabel('Nomor rekening').fill('12ab');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await waitForText(form, 'Wajib diisi.');
    await waitForText(form, 'Isian belum sesuai format.');
    await screenshot(page, 'portal-office-bank-account-invalid-id');

    await form.getByLabel('Nama bank').fill('BCA');
    await form.getByLabel('Nomor rekening').fill('123-456 7890');
    await form.getByLabel('Atas nama').fill('Kas RT 003');
    await form.getByRole('button', { name: 'Simpan' }).click();
    await page.getByTestId('bank-account-saved').waitFor();
    expect(await form.getByLabel('Nomor rekening').inputValue()).toBe('1234567890');
    await screenshot(page, 'portal-office-bank-account-id');
    await page.getByRole('button', { name: 'EN', exact: true }).click();
    await waitForText(form, 'Bank account for residents');
    await screenshot(page, 'portal-office-bank-account-en');
    expect(pageErrors(page)).toEqual([]);
    await office.context.close();

    const phone = await newPage(browser, PHONE);
    await phone.page.goto(`${w.server.url}/portal/login`);
    await phone.page.getByLabel('Email atau nomor HP').fill(residentLogin);
    await phone.page.getByLabel('Kata sandi', { exact: true }).fill(PASSWORD);
    await phone.page.getByRole('button', { name: 'Masuk', exact: true }).click();
    await phone.page.waitForURL((u) => u.pathname === '/portal');
    await phone.page.goto(`${w.server.url}/portal/bills`);
    await waitForText(phone.page.getByTestId('bank-account-number'), '1234 5678 90');
    await waitForText(phone.page.getByTestId('bank-account-holder'), 'Kas RT 003');
    await phone.context.close();
  });

  it("the link in a guest's WhatsApp message opens their QR code and entry code, fitting the guest's phone", async () => {
    const { context, page } = await newPage(browser, PHONE);
    expect(guestLink.startsWith(w.server.url)).toBe(true);
    await page.goto(guestLink);
    await waitForText(page.getByTestId('guest-pass-status'), 'Berlaku');
    await page.getByTestId('guest-pass-code').waitFor();
    expect(await page.getByTestId('guest-pass-qr').evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 100)).toBe(true);
    await screenshot(page, 'portal-phone-guest-pass-link');
    expect(await layoutProblems(page)).toEqual([]);
    await context.close();
  });
});
