import { mkdtempSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

async function launch(extraArgs: string[] = []): Promise<{ app: ElectronApplication; page: Page; dataDir: string }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'klustera-electron-'));
  const dataDir = path.join(profile, 'data');
  const app = await electron.launch({
    executablePath: process.env.KLUSTERA_TEST_ELECTRON_PATH!,
    args: [repoRoot, '--data-dir', dataDir, ...extraArgs],
    cwd: repoRoot,
    env: { ...process.env, KLUSTERA_USER_DATA_DIR: profile } as Record<string, string>,
  });
  const page = await app.firstWindow();
  await page.waitForLoadState('domcontentloaded');
  return { app, page, dataDir };
}

describe('desktop window (Electron)', () => {
  let running: ElectronApplication | undefined;
  afterEach(async () => {
    await running?.close();
    running = undefined;
  });

  it('opens the office window on the embedded server and shows the first-run setup form', async () => {
    const { app, page, dataDir } = await launch();
    running = app;
    const url = new URL(page.url());
    expect(url.hostname).toBe('127.0.0.1');
    expect(url.pathname).toBe('/');
    // The first run asks for the estate and its administrator's password.
    await page.locator('input[type="password"]').first().waitFor({ state: 'visible' });

    const health = await page.evaluate(async () => (await fetch('/api/v1/health')).json());
    expect(health).toMatchObject({ status: 'ok', setup_required: true });

    const info = await page.evaluate(() => (window as any).klustera.app.info());
    expect(info).toMatchObject({ ok: true, value: { kiosk: false, data_dir: dataDir, server_url: url.origin } });
  });

  it('gives the page no Node and no IPC beyond the typed API', async () => {
    const { app, page } = await launch();
    running = app;
    const globals = await page.evaluate(() => ({
      require: typeof (window as any).require,
      process: typeof (window as any).process,
      module: typeof (window as any).module,
      ipcRenderer: typeof (window as any).ipcRenderer,
      api: Object.keys((window as any).klustera).sort(),
    }));
    expect(globals).toEqual({
      require: 'undefined',
      process: 'undefined',
      module: 'undefined',
      ipcRenderer: 'undefined',
      api: ['app', 'shell'],
    });
  });

  it('cancels requests to any origin other than the server', async () => {
    const { app, page } = await launch();
    running = app;
    const hits: string[] = [];
    const other = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      res.end('x');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    try {
      const port = (other.address() as AddressInfo).port;
      const outcome = await page.evaluate(async (target) => {
        try {
          await fetch(target, { mode: 'no-cors' });
          return 'loaded';
        } catch {
          return 'blocked';
        }
      }, `http://127.0.0.1:${port}/tracker.js`);
      expect(outcome).toBe('blocked');
      expect(hits).toEqual([]);
    } finally {
      other.close();
    }
  });

  it('sends external links to the browser and opens no window for them', async () => {
    const { app, page } = await launch();
    running = app;
    await app.evaluate(({ shell }) => {
      const opened: string[] = [];
      (globalThis as any).__opened = opened;
      shell.openExternal = async (url: string) => {
        opened.push(url);
      };
    });
    await page.evaluate(() => {
      window.open('https://wa.me/6281234567890');
      window.open('file:///etc/passwd');
    });
    await expect.poll(() => app.evaluate(() => (globalThis as any).__opened)).toEqual(['https://wa.me/6281234567890']);
    expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(1);
  });

  it('opens the kiosk window on /kiosk in kiosk mode and refuses to close it', async () => {
    const { app, page } = await launch(['--kiosk']);
    running = app;
    expect(new URL(page.url()).pathname).toBe('/kiosk');
    const state = await app.evaluate(({ BrowserWindow, Menu }) => {
      const window = BrowserWindow.getAllWindows()[0]!;
      window.close();
      return { kiosk: window.isKiosk(), destroyed: window.isDestroyed(), menu: Menu.getApplicationMenu() };
    });
    expect(state).toEqual({ kiosk: true, destroyed: false, menu: null });
    const info = await page.evaluate(() => (window as any).klustera.app.info());
    expect(info).toMatchObject({ ok: true, value: { kiosk: true } });
  });
});
