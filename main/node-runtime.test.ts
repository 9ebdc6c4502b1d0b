import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { findOnPath, resolveNodeRuntime } from './node-runtime.ts';

function dirWithExecutable(name: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'klustera-path-'));
  const file = path.join(dir, name);
  writeFileSync(file, '#!/bin/sh\n');
  chmodSync(file, 0o755);
  return dir;
}

describe('findOnPath', () => {
  it('finds an executable in a later PATH entry', () => {
    const dir = dirWithExecutable('node');
    expect(findOnPath('node', `/nonexistent:${dir}`, 'linux')).toBe(path.join(dir, 'node'));
  });

  it('skips a file that is not executable', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'klustera-path-'));
    writeFileSync(path.join(dir, 'node'), '');
    chmodSync(path.join(dir, 'node'), 0o644);
    expect(findOnPath('node', dir, 'linux')).toBeNull();
  });
});

describe('resolveNodeRuntime', () => {
  const electronExecPath = '/opt/Klustera/klustera';

  it('prefers KLUSTERA_NODE over everything', () => {
    const runtime = resolveNodeRuntime({
      env: { KLUSTERA_NODE: '/custom/node', PATH: dirWithExecutable('node') },
      isPackaged: true,
      electronExecPath,
      platform: 'linux',
    });
    expect(runtime).toEqual({ command: '/custom/node', env: {}, source: 'KLUSTERA_NODE' });
  });

  it('uses the system node in development so native modules match their ABI', () => {
    const dir = dirWithExecutable('node');
    const runtime = resolveNodeRuntime({ env: { PATH: dir }, isPackaged: false, electronExecPath, platform: 'linux' });
    expect(runtime).toEqual({ command: path.join(dir, 'node'), env: {}, source: 'PATH' });
  });

  it("uses Electron's own node in a packaged app even when node is on PATH", () => {
    const runtime = resolveNodeRuntime({ env: { PATH: dirWithExecutable('node') }, isPackaged: true, electronExecPath, platform: 'linux' });
    expect(runtime).toEqual({ command: electronExecPath, env: { ELECTRON_RUN_AS_NODE: '1' }, source: 'electron-as-node' });
  });

  it("falls back to Electron's own node when there is no node on PATH", () => {
    const runtime = resolveNodeRuntime({ env: { PATH: '/nonexistent' }, isPackaged: false, electronExecPath, platform: 'linux' });
    expect(runtime.source).toBe('electron-as-node');
    expect(runtime.env.ELECTRON_RUN_AS_NODE).toBe('1');
  });
});
