import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repackArchive } from '../support/estate-archive.ts';
import { ADMIN, type ApiClient, setupEstate, startTestServer, type TestServer, userWithRole } from '../support/server.ts';
import { DESKTOP, launchChromium, newPage, noHorizontalScroll, pageErrors, screenshot, signIn, waitForText } from './support/browser.ts';

/**
 * Moving an estate in Chromium at 1366×768: on the office's Settings page an estate administrator downloads the
 * estate's archive (a treasurer does not see the button); in the platform console of another installation its
 * administrator imports it as a new estate, and the archives it refuses (changed, from a newer version, too large,
 * already here) say why in Indonesian and English.
 */
let origin: TestServer;
let target: TestServer;
let browser: Browser;
let originAdmin: ApiClient;
let originEstate: string;
let estateAdmin: { email: string; password: string };
let treasurer: { email: string; password: string };
let archive: Buffer;
const work = fs.mkdtempSync(path.join(os.tmpdir(), 'klustera-transfer-'));

const inEnglish = (context: BrowserContext) => context.addInitScript(() => localStorage.setItem('klustera.language', 'en'));

function saved(name: string, bytes: Buffer): string {
  const file = path.join(work, name);
  fs.writeFileSync(file, bytes);
  return file;
}

beforeAll(async () => {
  origin = await startTestServer();
  target = await startTestServer();
  browser = await launchChromium();
  ({ client: originAdmin, estateId: originEstate } = await setupEstate(origin.url, 'Perumahan Bukit Damai'));
  expect((await originAdmin.post(`/estates/${originEstate}/units`, { code: 'D-12', type: 'rumah', occupancy: 'occupied' })).status).toBe(
    201,
  );
  const a = await userWithRole(origin.url, originAdmin, originEstate, 'estate_admin');
  estateAdmin = { email: a.email, password: a.password };
  const t = await userWithRole(origin.url, originAdmin, originEstate, 'treasurer');
  treasurer = { email: t.email, password: t.password };
  await setupEstate(target.url, 'Perumahan Griya Asri');
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await origin?.close();
  await target?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function openSettings(login: { email: string; password: string }, english: boolean): Promise<Page> {
  const { context, page } = await newPage(browser, DESKTOP);
  await signIn(page, `${origin.url}/login`, login.email, login.password);
  if (english) await inEnglish(context);
  await page.goto(`${origin.url}/settings`);
  await page.getByTestId('public-url-form').waitFor();
  return page;
}

describe('moving an estate, in the browser', () => {
  it('an estate administrator downloads the archive from Settings; a treasurer sees no button', async () => {
    for (const english of [false, true]) {
      const page = await openSettings(estateAdmin, english);
      const card = page.getByTestId('estate-export');
      await waitForText(card, english ? 'Move the estate to another server' : 'Pindahkan perumahan ke server lain');
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `estate-export-desktop-${english ? 'en' : 'id'}`);
      const [download] = await Promise.all([page.waitForEvent('download'), card.getByTestId('estate-export-download').click()]);
      expect(download.suggestedFilename()).toMatch(/^klustera-perumahan-bukit-damai-\d{4}-\d{2}-\d{2}\.tar\.gz$/);
      const file = path.join(work, `export-${english ? 'en' : 'id'}.tar.gz`);
      await download.saveAs(file);
      archive = fs.readFileSync(file);
      expect(archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
      expect(pageErrors(page)).toEqual([]);
    }
    const page = await openSettings(treasurer, false);
    expect(await page.getByTestId('estate-export').count()).toBe(0);
  });

  it('the platform console imports it as a new estate and says why it refuses the others', async () => {
    const tampered = await repackArchive(archive, (entries) => {
      entries.set('tables/units.jsonl', Buffer.from(entries.get('tables/units.jsonl')!.toString().replace('D-12', 'D-13')));
    });
    const newer = await repackArchive(archive, (entries) => {
      const manifest = JSON.parse(entries.get('manifest.json')!.toString());
      entries.set('manifest.json', Buffer.from(JSON.stringify({ ...manifest, schema_version: '29991231000000_future' })));
    });
    const files = {
      good: saved('bukit-damai.tar.gz', archive),
      tampered: saved('diubah.tar.gz', tampered),
      newer: saved('versi-baru.tar.gz', newer),
    };
    for (const english of [false, true]) {
      const { context, page } = await newPage(browser, DESKTOP);
      await signIn(page, `${target.url}/login`, ADMIN.email, ADMIN.password);
      if (english) await inEnglish(context);
      await page.goto(`${target.url}/platform`);
      const form = page.getByTestId('import-estate-form');
      await waitForText(form, english ? 'Import an estate from an archive' : 'Impor perumahan dari arsip');
      const tryFile = async (file: string) => {
        await form.locator('input[type="file"]').setInputFiles(file);
        await form.getByTestId('import-estate-submit').click();
      };
      const words = english
        ? {
            tampered: 'it changed after it was downloaded',
            newer: 'made by a newer version of Klustera',
            large: 'too large for this server',
            exists: 'already exists on this server',
            done: 'Imported as a new estate: Perumahan Bukit Damai',
          }
        : {
            tampered: 'isinya berubah sejak diunduh',
            newer: 'dibuat oleh Klustera versi yang lebih baru',
            large: 'terlalu besar untuk server ini',
            exists: 'sudah ada di server ini',
            done: 'Diimpor sebagai perumahan baru: Perumahan Bukit Damai',
          };
      await tryFile(files.tampered);
      await waitForText(form.getByRole('alert'), words.tampered);
      expect(await form.getByRole('alert').getAttribute('data-code')).toBe('ARCHIVE_TAMPERED');
      await tryFile(files.newer);
      await waitForText(form.getByRole('alert'), words.newer);
      process.env.KLUSTERA_ESTATE_IMPORT_MAX_BYTES = String(archive.length - 1);
      try {
        await tryFile(files.good);
        await waitForText(form.getByRole('alert'), words.large);
      } finally {
        delete process.env.KLUSTERA_ESTATE_IMPORT_MAX_BYTES;
      }
      if (!english) {
        await tryFile(files.good);
        await waitForText(form.getByTestId('import-estate-done'), words.done);
        // The new estate is listed in the console.
        await waitForText(page.getByRole('table').first(), 'Perumahan Bukit Damai');
        await screenshot(page, 'estate-import-done-desktop-id');
      }
      await tryFile(files.good);
      await waitForText(form.getByRole('alert'), words.exists);
      expect(await noHorizontalScroll(page)).toBe(true);
      await screenshot(page, `estate-import-refused-desktop-${english ? 'en' : 'id'}`);
      expect(pageErrors(page).filter((e) => !/status of 4\d\d/.test(e))).toEqual([]);
    }
    // One estate came in, once.
    const estates = await target.db.knex('estates').where({ name: 'Perumahan Bukit Damai' }).count({ n: '*' });
    expect(Number(estates[0].n)).toBe(1);
  });
});
