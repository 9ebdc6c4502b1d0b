import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

/**
 * Runs the real bundled main process (main/dist/electron-main.cjs) under Node with a recording stand-in for the
 * `electron` module, so the wiring — server child, window options, guards, menu, IPC, quit — is exercised
 * without an Electron binary. The real server starts; the stand-in "loads" the page by asking it for /health.
 */
const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');
const bundle = path.join(here, 'dist', 'electron-main.cjs');
const stub = path.join(here, 'test-fixtures', 'electron-stub.cjs');

type StubEvent = { event: string; [key: string]: any };

function runShell(args: string[], env: Record<string, string> = {}): Promise<{ events: StubEvent[]; code: number | null; output: string }> {
  const profile = mkdtempSync(path.join(tmpdir(), 'klustera-shell-'));
  const child = spawn(process.execPath, ['--require', stub, bundle, ...args], {
    cwd: repoRoot,
    env: { ...process.env, STUB_APP_PATH: repoRoot, STUB_USER_DATA: profile, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk));
  return new Promise((resolve) => {
    child.once('close', (code) => {
      const events = output
        .split('\n')
        .filter((line) => line.startsWith('STUB '))
        .map((line) => JSON.parse(line.slice(5)) as StubEvent);
      resolve({ events, code, output });
    });
  });
}

describe('Electron main process wiring', () => {
  beforeAll(() => {
    const build = spawnSync(process.execPath, [path.join(here, 'build.mjs')], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
  });

  it('starts the server child, opens a hardened office window on it, and stops the server on quit', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'klustera-shell-data-'));
    const { events, code, output } = await runShell(['--data-dir', dataDir]);
    expect(code, output).toBe(0);

    const window = events.find((e) => e.event === 'window')!;
    expect(window.options.webPreferences).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    });
    expect(window.options.webPreferences.preload).toBe(path.join(here, 'dist', 'preload.cjs'));
    expect(window.options.kiosk).toBe(false);
    expect(window.guarded).toBe(true);

    const load = events.find((e) => e.event === 'load')!;
    expect(load.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
    expect(load.health).toMatchObject({ status: 'ok', setup_required: true });
    expect(load.openWaMe).toEqual({ action: 'deny' });
    expect(events).toContainEqual({ event: 'open-external', url: 'https://wa.me/62812' });

    expect(events.find((e) => e.event === 'menu')!.menu).toEqual(['Berkas', 'Sunting', 'Tampilan', 'Jendela', 'Bantuan']);
    expect(events.filter((e) => e.event === 'ipc').map((e) => e.channel)).toEqual(['app-info', 'shell-open-external']);
    expect(events.map((e) => e.event)).toEqual(expect.arrayContaining(['permission-handler', 'request-filter']));

    // The quit path awaited the server's shutdown: nothing answers on its port any more.
    await expect(fetch(load.url)).rejects.toThrow();
  });

  it('opens the kiosk face on /kiosk with no menu and the shortcut guard', async () => {
    const dataDir = mkdtempSync(path.join(tmpdir(), 'klustera-shell-data-'));
    const { events, code, output } = await runShell(['--kiosk', '--data-dir', dataDir]);
    expect(code, output).toBe(0);
    expect(events.find((e) => e.event === 'window')!.options).toMatchObject({ kiosk: true, fullscreen: true });
    expect(events.find((e) => e.event === 'menu')).toEqual({ event: 'menu', menu: null });
    const load = events.find((e) => e.event === 'load')!;
    expect(new URL(load.url).pathname).toBe('/kiosk');
    expect(load.kioskKeysGuarded).toBe(true);
  });

  it('shows an error and exits when the server cannot be started', async () => {
    const { events, code } = await runShell(['--data-dir', mkdtempSync(path.join(tmpdir(), 'klustera-shell-data-'))], {
      KLUSTERA_NODE: '/nonexistent/node',
    });
    expect(code).toBe(1);
    expect(events.find((e) => e.event === 'error-box')!.message).toMatch(/tidak dapat dijalankan[\s\S]*\/nonexistent\/node/);
    expect(events.some((e) => e.event === 'window')).toBe(false);
  });

  it('refuses a bad --port with an error box and exit code 2 before starting anything', async () => {
    const { events, code } = await runShell(['--port', 'eighty']);
    expect(code).toBe(2);
    expect(events.find((e) => e.event === 'error-box')!.message).toMatch(/--port must be a number/);
    expect(events.some((e) => e.event === 'window' || e.event === 'ipc')).toBe(false);
  });
});
