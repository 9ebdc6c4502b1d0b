import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const HOW_TO_GET_A_BINARY = `
The desktop-window tests need a working Electron binary, and this checkout has none: the electron package's
postinstall (which downloads from GitHub) is disabled in package.json "allowScripts". To get one:
  - on a machine with access to GitHub:   node node_modules/electron/install.js
  - or offline: unpack electron-v38.8.6-<platform>-<arch>.zip into a folder and set
      ELECTRON_OVERRIDE_DIST_PATH=/that/folder
  - on Linux without a desktop, run under a virtual display:   xvfb-run -a npm run test:electron
Everything the window shows is also covered in real Chromium by tests/browser/.`;

function run(command: string, args: string[], label: string): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) throw new Error(`${label} failed (exit ${result.status})`);
}

export default async function setup(): Promise<void> {
  const start = await import(path.join(repoRoot, 'bin', 'start.mjs'));
  const electron = start.findElectronBinary(repoRoot) as { ok: true; path: string } | { ok: false; reason: string };
  if (!electron.ok) throw new Error(`No usable Electron binary: ${electron.reason}.${HOW_TO_GET_A_BINARY}`);
  process.env.KLUSTERA_TEST_ELECTRON_PATH = electron.path;

  if ((start.rendererBuildDecision(repoRoot) as { build: boolean }).build) run('npm', ['run', 'build:renderer'], 'Renderer build');
  run(process.execPath, [path.join(repoRoot, 'main', 'build.mjs')], 'Desktop shell build');
}
