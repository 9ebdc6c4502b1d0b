import { chmodSync, mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bin/start.mjs is plain JavaScript run directly by `npm start`; a computed specifier keeps tsc from wanting types.
const startModule = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../bin/start.mjs');
const start = await import(startModule);

function tempRoot(): string {
  const root = mkdtempSync(path.join(tmpdir(), 'klustera-start-'));
  writeFileSync(path.join(root, 'package.json'), '{"name":"fixture","private":true}');
  return root;
}

function writeFile(file: string, content: string, mtimeSeconds: number): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, content);
  utimesSync(file, mtimeSeconds, mtimeSeconds);
}

function fakeElectronPackage(root: string, indexSource: string): void {
  const dir = path.join(root, 'node_modules', 'electron');
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'package.json'), '{"name":"electron","main":"index.js"}');
  writeFileSync(path.join(dir, 'index.js'), indexSource);
}

function fakeBinary(root: string, exitCode: number): string {
  const file = path.join(root, 'fake-electron');
  writeFileSync(file, `#!/bin/sh\nexit ${exitCode}\n`);
  chmodSync(file, 0o755);
  return file;
}

describe('rendererBuildDecision', () => {
  it('skips with a message when the renderer has no vite config', () => {
    expect(start.rendererBuildDecision(tempRoot())).toEqual({ build: false, reason: expect.stringMatching(/no vite config/) });
  });

  it('builds when renderer/dist is missing', () => {
    const root = tempRoot();
    writeFile(path.join(root, 'renderer', 'vite.config.ts'), 'export default {}', 1_000);
    expect(start.rendererBuildDecision(root)).toEqual({ build: true, reason: 'renderer/dist is missing' });
  });

  it('builds when a source file is newer than the built index.html, and not otherwise', () => {
    const root = tempRoot();
    writeFile(path.join(root, 'renderer', 'vite.config.ts'), 'export default {}', 1_000);
    writeFile(path.join(root, 'renderer', 'src', 'faces', 'kiosk.tsx'), 'x', 2_000);
    writeFile(path.join(root, 'renderer', 'dist', 'index.html'), '<html>', 3_000);
    expect(start.rendererBuildDecision(root).build).toBe(false);
    writeFile(path.join(root, 'renderer', 'src', 'faces', 'kiosk.tsx'), 'y', 4_000);
    expect(start.rendererBuildDecision(root)).toEqual({ build: true, reason: 'renderer/src changed since the last build' });
  });
});

describe('findElectronBinary', () => {
  const display = { DISPLAY: ':0', PATH: process.env.PATH };

  it('reports a package without a downloaded binary', () => {
    const root = tempRoot();
    fakeElectronPackage(root, "throw new Error('Electron failed to install correctly, please delete node_modules/electron');");
    expect(start.findElectronBinary(root, display, 'linux')).toEqual({
      ok: false,
      absent: true,
      reason: expect.stringMatching(/no binary.*failed to install/),
    });
  });

  it('reports a path that does not exist', () => {
    const root = tempRoot();
    fakeElectronPackage(root, "module.exports = '/nonexistent/electron';");
    expect(start.findElectronBinary(root, display, 'linux')).toEqual({
      ok: false,
      absent: true,
      reason: 'no Electron binary at /nonexistent/electron',
    });
  });

  it('reports a binary that exists but does not run', () => {
    const root = tempRoot();
    fakeElectronPackage(root, `module.exports = ${JSON.stringify(fakeBinary(root, 1))};`);
    expect(start.findElectronBinary(root, display, 'linux')).toEqual({ ok: false, reason: expect.stringMatching(/does not run/) });
  });

  it('accepts a binary that runs when there is a display, and not without one on Linux', () => {
    const root = tempRoot();
    const binary = fakeBinary(root, 0);
    fakeElectronPackage(root, `module.exports = ${JSON.stringify(binary)};`);
    expect(start.findElectronBinary(root, display, 'linux')).toEqual({ ok: true, path: binary });
    expect(start.findElectronBinary(root, { PATH: process.env.PATH }, 'linux')).toEqual({
      ok: false,
      reason: expect.stringMatching(/no display/),
    });
  });
});

describe('splitStartArgs', () => {
  it('passes every flag, --kiosk included, through to the server', () => {
    expect(start.splitStartArgs(['--port', '8080', '--kiosk', '--data-dir', 'X'])).toEqual({
      kiosk: true,
      serveArgs: ['--port', '8080', '--kiosk', '--data-dir', 'X'],
    });
    expect(start.splitStartArgs(['--port', '0'])).toEqual({ kiosk: false, serveArgs: ['--port', '0'] });
  });
});
