import { spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const kioskDir = path.join(repoRoot, 'installers', 'kiosk');
const wrapper = path.join(kioskDir, 'klustera-kiosk-browser.sh');

/** Key/value pairs of one INI-style section (desktop entries and systemd units share the syntax). */
function section(file: string, name: string): Map<string, string[]> {
  const values = new Map<string, string[]>();
  let current = '';
  for (const raw of readFileSync(path.join(kioskDir, file), 'utf8').split('\n')) {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) {
      current = header[1]!;
      continue;
    }
    if (current !== name) continue;
    const eq = line.indexOf('=');
    values.set(line.slice(0, eq), [...(values.get(line.slice(0, eq)) ?? []), line.slice(eq + 1)]);
  }
  return values;
}

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** Runs the wrapper with a stand-in browser that writes the arguments it was given to a file. */
function runWrapper(env: Record<string, string>) {
  const dir = mkdtempSync(path.join(tmpdir(), 'klustera-kiosk-'));
  folders.push(dir);
  const argsFile = path.join(dir, 'browser-args.txt');
  const browser = path.join(dir, 'fake-chromium');
  writeFileSync(browser, `#!/bin/sh\nfor a in "$@"; do echo "$a"; done > ${JSON.stringify(argsFile)}\n`);
  chmodSync(browser, 0o755);
  const result = spawnSync('/bin/sh', [wrapper], {
    encoding: 'utf8',
    env: {
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      HOME: dir,
      KLUSTERA_KIOSK_BROWSER: browser,
      KLUSTERA_KIOSK_DEFAULTS: path.join(dir, 'none'),
      ...env,
    },
  });
  const args = existsSync(argsFile) ? readFileSync(argsFile, 'utf8').trim().split('\n') : null;
  return { result, args, dir };
}

describe('kiosk browser start-up script', () => {
  it('opens the configured kiosk page full screen in its own profile', () => {
    const { result, args, dir } = runWrapper({ KLUSTERA_KIOSK_URL: 'http://192.168.1.10:4780/kiosk' });
    expect(result.status).toBe(0);
    expect(args).toContain('--kiosk');
    expect(args).toContain('--app=http://192.168.1.10:4780/kiosk');
    expect(args).toContain(`--user-data-dir=${path.join(dir, '.config', 'klustera-kiosk')}`);
    expect(existsSync(path.join(dir, '.config', 'klustera-kiosk'))).toBe(true);
  });

  it('reads the address from the defaults file when the environment has none', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'klustera-kiosk-defaults-'));
    folders.push(dir);
    const defaults = path.join(dir, 'klustera-kiosk');
    writeFileSync(defaults, 'KLUSTERA_KIOSK_URL=https://pos.perumahan.example/kiosk\n');
    const { result, args } = runWrapper({ KLUSTERA_KIOSK_DEFAULTS: defaults });
    expect(result.status).toBe(0);
    expect(args).toContain('--app=https://pos.perumahan.example/kiosk');
  });

  it('refuses to start without a kiosk address, or with one that is not the kiosk page, and says what to set', () => {
    for (const url of ['', 'file:///etc/passwd', 'http://192.168.1.10:4780/', 'javascript:alert(1)//kiosk']) {
      const { result, args } = runWrapper({ KLUSTERA_KIOSK_URL: url });
      expect(result.status).toBe(64);
      expect(result.stderr).toContain('KLUSTERA_KIOSK_URL');
      expect(args).toBeNull();
    }
  });
});

describe('kiosk autostart entries', () => {
  it('starts the desktop app in kiosk mode from where its .deb installs it', () => {
    const require = createRequire(path.join(repoRoot, 'package.json'));
    const yaml = require('js-yaml') as { load(text: string): any };
    const builder = yaml.load(readFileSync(path.join(repoRoot, 'electron-builder.yml'), 'utf8'));
    const entry = section('klustera-kiosk.desktop', 'Desktop Entry');
    expect(entry.get('Type')).toEqual(['Application']);
    expect(entry.get('Exec')).toEqual([`/opt/${builder.productName}/${builder.linux.executableName} --kiosk`]);
    expect(entry.get('X-GNOME-Autostart-enabled')).toEqual(['true']);
  });

  it('starts the browser kiosk through the installed script', () => {
    const entry = section('klustera-kiosk-browser.desktop', 'Desktop Entry');
    expect(entry.get('Exec')).toEqual(['/usr/local/bin/klustera-kiosk-browser']);
    const service = section('klustera-kiosk.service', 'Service');
    expect(service.get('ExecStart')).toEqual(['/usr/bin/cage -d -- /usr/local/bin/klustera-kiosk-browser']);
    expect(service.get('User')).toEqual(['satpam']);
    expect(service.get('Restart')).toEqual(['always']);
    expect(section('klustera-kiosk.service', 'Install').get('WantedBy')).toEqual(['graphical.target']);
  });

  const validate = spawnSync('desktop-file-validate', ['--help'], { encoding: 'utf8' });
  if (validate.status === 0) {
    it('passes desktop-file-validate', () => {
      for (const file of ['klustera-kiosk.desktop', 'klustera-kiosk-browser.desktop']) {
        const result = spawnSync('desktop-file-validate', [path.join(kioskDir, file)], { encoding: 'utf8' });
        expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      }
    });
  }
});
