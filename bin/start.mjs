#!/usr/bin/env node
// `npm start`: builds what is stale, then opens the desktop window when a working Electron binary exists and
// otherwise serves headless and prints the URL to open in a browser. Arguments pass through to the server
// (`npm start -- --port 8080 --data-dir X`); `--kiosk` opens the guard-post face.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const READY_PREFIX = 'KLUSTERA_READY ';

/** Newest modification time of any file under `target` (a file or a folder); 0 when it does not exist. */
export function newestMtime(target) {
  let stat;
  try {
    stat = statSync(target);
  } catch {
    return 0;
  }
  if (!stat.isDirectory()) return stat.mtimeMs;
  let newest = 0;
  for (const entry of readdirSync(target)) newest = Math.max(newest, newestMtime(path.join(target, entry)));
  return newest;
}

/** @returns {{ build: boolean, reason: string }} */
export function rendererBuildDecision(root) {
  const renderer = path.join(root, 'renderer');
  const config = ['vite.config.ts', 'vite.config.mts', 'vite.config.js'].find((name) => existsSync(path.join(renderer, name)));
  if (!config) return { build: false, reason: 'renderer/ has no vite config yet; skipping the renderer build' };
  const builtIndex = path.join(renderer, 'dist', 'index.html');
  if (!existsSync(builtIndex)) return { build: true, reason: 'renderer/dist is missing' };
  const sources = Math.max(
    newestMtime(path.join(renderer, 'src')),
    newestMtime(path.join(renderer, 'index.html')),
    newestMtime(path.join(renderer, 'public')),
    newestMtime(path.join(renderer, config)),
  );
  // vite writes index.html last, so its time marks the end of the previous build.
  if (sources > statSync(builtIndex).mtimeMs) return { build: true, reason: 'renderer/src changed since the last build' };
  return { build: false, reason: 'renderer/dist is up to date' };
}

/**
 * The electron npm package only knows where its binary *would* be; the binary itself is downloaded by a
 * postinstall script that is disabled here. So: resolve the path, check it exists, check it runs, check there
 * is a display to open a window on.
 * @returns {{ ok: true, path: string } | { ok: false, absent?: boolean, reason: string }}
 */
export function findElectronBinary(root, env = process.env, platform = process.platform) {
  let binary;
  try {
    binary = createRequire(path.join(root, 'package.json'))('electron');
  } catch (error) {
    return { ok: false, absent: true, reason: `the electron package has no binary (${String(error.message ?? error).split('\n')[0]})` };
  }
  if (typeof binary !== 'string' || !existsSync(binary)) return { ok: false, absent: true, reason: `no Electron binary at ${binary}` };
  const probe = spawnSync(binary, ['--version'], { env: { ...env, ELECTRON_RUN_AS_NODE: '1' }, encoding: 'utf8', timeout: 30_000 });
  if (probe.status !== 0) {
    return {
      ok: false,
      reason: `the Electron binary at ${binary} does not run (${probe.error?.message || probe.stderr?.trim() || `status ${probe.status}`})`,
    };
  }
  if (platform === 'linux' && !env.DISPLAY && !env.WAYLAND_DISPLAY)
    return { ok: false, reason: 'there is no display (DISPLAY/WAYLAND_DISPLAY unset)' };
  return { ok: true, path: binary };
}

/** `klustera serve` understands every flag `npm start` takes, --kiosk included (it prints the /kiosk address). */
export function splitStartArgs(argv) {
  return { kiosk: argv.includes('--kiosk'), serveArgs: [...argv] };
}

function run(command, args, label) {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${label} failed (${result.error?.message ?? `exit ${result.status}`})`);
    process.exit(result.status ?? 1);
  }
}

function buildRendererIfStale() {
  if (process.env.KLUSTERA_SKIP_RENDERER_BUILD === '1') return;
  const decision = rendererBuildDecision(repoRoot);
  console.log(`[start] ${decision.reason}`);
  if (decision.build) run(process.platform === 'win32' ? 'npm.cmd' : 'npm', ['run', 'build:renderer'], 'Renderer build');
}

function forwardSignalsTo(child) {
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

function startDesktop(electronPath, argv) {
  run(process.execPath, [path.join(repoRoot, 'main', 'build.mjs')], 'Desktop shell build');
  const child = spawn(electronPath, ['.', ...argv], { cwd: repoRoot, stdio: 'inherit' });
  forwardSignalsTo(child);
}

/**
 * A missing Electron binary is the normal case on build machines and headless boxes, so it earns one calm line and
 * no reason; a binary that exists but cannot open a window is worth explaining.
 * @returns {string[]}
 */
export function headlessNotice(electron, url) {
  const lines = [`Desktop window not available on this machine; serving in the browser at ${url}`];
  if (!electron.absent) lines.push(`  (${electron.reason})`);
  return lines;
}

/** The ready line is for programs; `npm start` is read by people, so it passes the line on only when asked to. */
export function forwardsReadyLine(env = process.env) {
  return env.KLUSTERA_READY_LINE === '1';
}

function startHeadless(electron, argv) {
  const { kiosk, serveArgs } = splitStartArgs(argv);
  const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'klustera.mjs'), 'serve', ...serveArgs], {
    cwd: repoRoot,
    // A person reads this terminal: the banner, then warnings and errors only, not a JSON line per request.
    env: { ...process.env, KLUSTERA_LOG_LEVEL: process.env.KLUSTERA_LOG_LEVEL || 'warn' },
    stdio: ['inherit', 'pipe', 'inherit'],
  });
  let pending = '';
  child.stdout.setEncoding('utf8').on('data', (chunk) => {
    pending += chunk;
    let newline;
    while ((newline = pending.indexOf('\n')) !== -1) {
      const line = pending.slice(0, newline).replace(/\r$/, '');
      pending = pending.slice(newline + 1);
      if (!line.startsWith(READY_PREFIX)) {
        process.stdout.write(`${line}\n`);
        continue;
      }
      if (forwardsReadyLine()) process.stdout.write(`${line}\n`);
      try {
        const { url } = JSON.parse(line.slice(READY_PREFIX.length));
        const base = String(url).replace(/\/$/, '');
        for (const notice of headlessNotice(electron, `${base}${kiosk ? '/kiosk' : '/'}`)) console.log(notice);
      } catch {
        // The server's own human-readable line above still carries the address.
      }
    }
  });
  forwardSignalsTo(child);
}

function main() {
  const argv = process.argv.slice(2);
  buildRendererIfStale();
  const electron =
    process.env.KLUSTERA_HEADLESS === '1'
      ? { ok: false, absent: true, reason: 'KLUSTERA_HEADLESS=1 is set' }
      : findElectronBinary(repoRoot);
  if (electron.ok) startDesktop(electron.path, argv);
  else startHeadless(electron, argv);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
