import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const require = createRequire(path.join(repoRoot, 'package.json'));

// electron-builder's own loader and schema validator, so the test fails exactly when `npm run dist` would.
const { getConfig, validateConfiguration } = require('app-builder-lib/out/util/config/config.js') as {
  getConfig(projectDir: string, configPath: string | null, configFromOptions: null): Promise<Record<string, any>>;
  validateConfiguration(config: Record<string, any>, logger: unknown): Promise<void>;
};
const { DebugLogger } = require('builder-util') as { DebugLogger: new (enabled: boolean) => unknown };

async function loadConfig(): Promise<Record<string, any>> {
  return getConfig(repoRoot, path.join(repoRoot, 'electron-builder.yml'), null);
}

/** electron-builder normalises `files` into `[{ filter: [...] }]`. */
async function filePatterns(): Promise<string[]> {
  const files = (await loadConfig()).files as Array<string | { filter?: string[] }>;
  return files.flatMap((entry) => (typeof entry === 'string' ? [entry] : (entry.filter ?? [])));
}

describe('electron-builder.yml', () => {
  it('passes electron-builder schema validation', async () => {
    await expect(validateConfiguration(await loadConfig(), new DebugLogger(false))).resolves.toBeUndefined();
  });

  it('names the app and pins the Electron version to the installed electron package', async () => {
    const config = await loadConfig();
    expect(config.appId).toBe('id.klustera.desktop');
    expect(config.productName).toBe('Klustera');
    expect(config.electronVersion).toBe((require('electron/package.json') as { version: string }).version);
  });

  it('packages the server bundle with its migrations, built renderer, launcher and desktop shell', async () => {
    const files = await filePatterns();
    for (const required of ['package.json', 'main/dist/**', 'dist/server/release/**', 'renderer/dist/**', 'bin/**']) {
      expect(files).toContain(required);
    }
  });

  it('leaves out of the package the tools that only run the server from sources, and keeps what the server loads', async () => {
    // electron-builder's own matcher for node_modules, built from the `files` exclusions as packing builds it.
    const { getNodeModuleFileMatcher } = require('app-builder-lib/out/fileMatcher.js') as {
      getNodeModuleFileMatcher(
        appDir: string,
        destination: string,
        expand: (s: string) => string,
        platformOptions: Record<string, unknown>,
        packager: { config: Record<string, any>; debugLogger: { isEnabled: boolean } },
      ): { createFilter(): (file: string, stat: { isDirectory(): boolean }) => boolean };
    };
    const filter = getNodeModuleFileMatcher(
      repoRoot,
      '/out',
      (s) => s,
      {},
      { config: await loadConfig(), debugLogger: { isEnabled: false } },
    ).createFilter();
    const packed = (file: string) => filter(path.join(repoRoot, file), { isDirectory: () => false });
    for (const file of [
      'node_modules/tsx/dist/cli.mjs',
      'node_modules/esbuild/bin/esbuild',
      'node_modules/@esbuild/linux-x64/bin/esbuild',
    ]) {
      expect(packed(file), file).toBe(false);
    }
    for (const file of ['node_modules/better-sqlite3/lib/index.js', 'node_modules/pg/lib/index.js', 'node_modules/knex/knex.js']) {
      expect(packed(file), file).toBe(true);
    }
    // Nothing the packaged server runs imports them: it starts the release bundle, found without esbuild.
    expect(readFileSync(path.join(repoRoot, 'bin/server-bundle.mjs'), 'utf8')).toMatch(
      /if \(!fs\.existsSync\(path\.join\(root, 'server', 'cli\.ts'\)\)\) \{\n\s+const release/,
    );
  });

  it('ships the entry point package.json names', async () => {
    const pkg = require('./package.json') as { main: string };
    const files = await filePatterns();
    expect(pkg.main.startsWith('main/dist/')).toBe(true);
    expect(files).toContain('main/dist/**');
  });

  it('unpacks and rebuilds the native modules for Electron', async () => {
    const config = await loadConfig();
    expect(config.asar).toBe(true);
    expect(config.asarUnpack).toEqual(expect.arrayContaining(['node_modules/better-sqlite3/**', 'node_modules/usb/**', '**/*.node']));
    expect(config.npmRebuild).toBe(true);
  });

  it('targets AppImage and deb on Linux, NSIS on Windows, dmg on macOS', async () => {
    const config = await loadConfig();
    expect(config.linux.target).toEqual(['AppImage', 'deb']);
    expect(config.win.target).toEqual(['nsis']);
    expect(config.mac.target).toEqual(['dmg']);
  });

  it('runs the native-module check after packing and checks no update feed unless one is configured', async () => {
    const config = await loadConfig();
    expect(config.afterPack).toBe('installers/after-pack.cjs');
    expect(typeof (require('./installers/after-pack.cjs') as { default: unknown }).default).toBe('function');
    expect(config.publish).toBeNull();
  });

  it('installs per user on Windows, in Indonesian with English available', async () => {
    const config = await loadConfig();
    expect(config.nsis.perMachine).toBe(false);
    expect(config.nsis.oneClick).toBe(false);
    expect(config.nsis.installerLanguages).toEqual(['id_ID', 'en_US']);
    expect(config.nsis.language).toBe('1057');
  });

  it('has an application icon of at least 512×512 in the build resources', async () => {
    const config = await loadConfig();
    const png = readFileSync(path.join(repoRoot, config.directories.buildResources, 'icon.png'));
    expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
    // IHDR: width and height are the first two big-endian words after the 8-byte signature and chunk header.
    expect(png.readUInt32BE(16)).toBeGreaterThanOrEqual(512);
    expect(png.readUInt32BE(20)).toBe(png.readUInt32BE(16));
  });
});
