import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repoRoot, 'package.json'));
const afterPack = require('./installers/after-pack.cjs') as ((context: unknown) => Promise<void>) & {
  checkNativeModules(context: unknown): string[];
};
// The better-sqlite3 build the tests run on: a real ELF shared library for this machine.
const realNativeFile = path.join(repoRoot, 'node_modules', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
const ARCH = { ia32: 0, x64: 1, arm: 2, arm64: 3 } as Record<string, number>;

const folders: string[] = [];
afterEach(() => {
  for (const folder of folders.splice(0)) rmSync(folder, { recursive: true, force: true });
});

/** An unpacked Linux/Windows package folder as electron-builder leaves it before making the installer. */
function packageFolder(): { appOutDir: string; unpacked: string } {
  const appOutDir = mkdtempSync(path.join(tmpdir(), 'klustera-afterpack-'));
  folders.push(appOutDir);
  const unpacked = path.join(appOutDir, 'resources', 'app.asar.unpacked');
  mkdirSync(path.join(unpacked, 'node_modules', 'better-sqlite3', 'build', 'Release'), { recursive: true });
  return { appOutDir, unpacked };
}

function context(appOutDir: string, electronPlatformName: string, arch: number) {
  return { appOutDir, electronPlatformName, arch, packager: { appInfo: { productFilename: 'Klustera' } } };
}

describe('afterPack native-module check', () => {
  it('passes a package whose better-sqlite3 is a library for the target platform and CPU', async () => {
    const { appOutDir, unpacked } = packageFolder();
    copyFileSync(realNativeFile, path.join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    expect(afterPack.checkNativeModules(context(appOutDir, 'linux', ARCH[process.arch]!))).toEqual([]);
    await expect(afterPack(context(appOutDir, 'linux', ARCH[process.arch]!))).resolves.toBeUndefined();
  });

  it('fails the build when better-sqlite3 has no .node file', async () => {
    const { appOutDir } = packageFolder();
    await expect(afterPack(context(appOutDir, 'linux', ARCH[process.arch]!))).rejects.toThrow(
      /missing native module: node_modules\/better-sqlite3\/build\/Release\/better_sqlite3\.node/,
    );
  });

  it('fails a Windows package that carries a Linux build, and a Linux package built for another CPU', () => {
    const { appOutDir, unpacked } = packageFolder();
    copyFileSync(realNativeFile, path.join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    expect(afterPack.checkNativeModules(context(appOutDir, 'win32', ARCH.x64!)).join('\n')).toMatch(
      /built for linux, the package is for win32/,
    );
    const otherCpu = process.arch === 'arm64' ? ARCH.x64! : ARCH.arm64!;
    expect(afterPack.checkNativeModules(context(appOutDir, 'linux', otherCpu)).join('\n')).toMatch(/built for another CPU/);
  });

  it('flags a .node file that is no library, and skips prebuilt binaries kept for other platforms', () => {
    const { appOutDir, unpacked } = packageFolder();
    copyFileSync(realNativeFile, path.join(unpacked, 'node_modules/better-sqlite3/build/Release/better_sqlite3.node'));
    mkdirSync(path.join(unpacked, 'node_modules/usb/prebuilds/win32-x64'), { recursive: true });
    writeFileSync(path.join(unpacked, 'node_modules/usb/prebuilds/win32-x64/node.napi.node'), Buffer.from('MZ\x90\x00'));
    expect(afterPack.checkNativeModules(context(appOutDir, 'linux', ARCH[process.arch]!))).toEqual([]);
    mkdirSync(path.join(unpacked, 'node_modules/usb/build/Release'), { recursive: true });
    writeFileSync(path.join(unpacked, 'node_modules/usb/build/Release/usb_bindings.node'), 'version https://git-lfs.github.com/spec/v1\n');
    expect(afterPack.checkNativeModules(context(appOutDir, 'linux', ARCH[process.arch]!))).toEqual([
      `not a native library: ${path.join('node_modules', 'usb', 'build', 'Release', 'usb_bindings.node')}`,
    ]);
  });

  it('looks inside the .app bundle on macOS', () => {
    const appOutDir = mkdtempSync(path.join(tmpdir(), 'klustera-afterpack-mac-'));
    folders.push(appOutDir);
    const native = path.join(appOutDir, 'Klustera.app/Contents/Resources/app.asar.unpacked/node_modules/better-sqlite3/build/Release');
    mkdirSync(native, { recursive: true });
    const machO = Buffer.alloc(32);
    machO.writeUInt32BE(0xcffaedfe, 0);
    writeFileSync(path.join(native, 'better_sqlite3.node'), machO);
    expect(afterPack.checkNativeModules(context(appOutDir, 'darwin', ARCH.arm64!))).toEqual([]);
  });
});
