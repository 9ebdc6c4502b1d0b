import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// The whole package is built, installed, started and purged by .ci/deb-check (run by .ci/run as root); these are
// the parts of installers/deb/ that can be checked without root or dpkg.
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const debDir = path.join(repoRoot, 'installers', 'deb');

interface LockEntry {
  dev?: boolean;
  link?: boolean;
  dependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}
// A computed specifier keeps tsc from wanting types for the plain-JavaScript build script.
const builder = (await import(path.join(debDir, 'build-deb.mjs'))) as {
  nodeDependency(nodeVersion: string): string;
  debianArchitecture(nodeArch: string): string;
  packagedUnit(unitText: string): string;
  NOT_RUN_BY_THE_SERVER: Record<string, string>;
  runtimePackages(lock: { packages: Record<string, LockEntry> }, exists: (key: string) => boolean, leftOut?: string[]): string[];
  bundleImports(source: string): string[];
  controlFile(fields: {
    version: string;
    architecture: string;
    nodeVersion: string;
    installedSizeKb: number;
    libraryDepends?: string;
  }): string;
  packagedMode(name: string, head: Buffer): number;
  skippedInPackages(platform: string, arch: string): RegExp[];
  copyrightFile(license: string): string;
};

const repoUnit = readFileSync(path.join(repoRoot, 'installers', 'systemd', 'klustera.service'), 'utf8');
const unit = builder.packagedUnit(repoUnit);
const serviceLines = (key: string) =>
  unit
    .split('\n')
    .filter((line) => line.startsWith(`${key}=`))
    .map((line) => line.slice(key.length + 1));

describe('headless .deb', () => {
  it('depends on the Node major whose ABI its better-sqlite3 was built for, never older than the server supports', () => {
    expect(builder.nodeDependency('20.20.2')).toBe('nodejs (>= 20.19), nodejs (<< 21)');
    expect(builder.nodeDependency('22.23.5')).toBe('nodejs (>= 22.0), nodejs (<< 23)');
    expect(() => builder.nodeDependency('20.18.1')).toThrow(/older than 20\.19/);
    expect(() => builder.nodeDependency('18.20.0')).toThrow(/older than 20\.19/);
    const control = builder.controlFile({ version: '0.1.0', architecture: 'arm64', nodeVersion: '20.19.0', installedSizeKb: 1 });
    expect(control).toMatch(/^Package: klustera-server\nVersion: 0\.1\.0\nArchitecture: arm64\n/);
    expect(control).toContain('\nDepends: nodejs (>= 20.19), nodejs (<< 21), ');
    expect(control.endsWith('\n')).toBe(true);
  });

  it('depends on the libraries its native modules link against and on the init-system-helpers its scripts use', () => {
    const control = builder.controlFile({
      version: '0.1.0',
      architecture: 'amd64',
      nodeVersion: '22.23.5',
      installedSizeKb: 1,
      libraryDepends: 'libc6 (>= 2.34), libudev1 (>= 183)',
    });
    expect(control).toContain(
      '\nDepends: nodejs (>= 22.0), nodejs (<< 23), libc6 (>= 2.34), libudev1 (>= 183), passwd, init-system-helpers (>= 1.54~)\n',
    );
  });

  it('marks executable only scripts with a #! line and ELF programs, never a .node library or a licence', () => {
    const elf = Buffer.from([0x7f, 0x45, 0x4c, 0x46]);
    expect(builder.packagedMode('better_sqlite3.node', elf)).toBe(0o644);
    expect(builder.packagedMode('esbuild', elf)).toBe(0o755);
    expect(builder.packagedMode('klustera.mjs', Buffer.from('#!/u'))).toBe(0o755);
    expect(builder.packagedMode('LICENSE', Buffer.from('The '))).toBe(0o644);
    expect(builder.packagedMode('index.js', Buffer.from('modu'))).toBe(0o644);
  });

  it('has a machine-readable copyright file with a notice and a licence paragraph for every licence it names', () => {
    const copyright = builder.copyrightFile('AGPL-3.0-or-later');
    expect(copyright).toMatch(/^Format: https:\/\/www\.debian\.org\/doc\/packaging-manuals\/copyright-format\/1\.0\/\n/);
    expect(copyright).toMatch(/\nCopyright: \d{4}(-\d{4})? Klustera contributors\n/);
    const paragraphs = copyright.split('\n\n');
    const named = new Set(paragraphs.filter((p) => p.startsWith('Files:')).map((p) => /\nLicense: (.+)/.exec(p)?.[1]));
    const defined = new Set(paragraphs.filter((p) => p.startsWith('License:')).map((p) => /^License: (.+)/.exec(p)?.[1]));
    expect([...named].sort()).toEqual([...defined].sort());
    expect(() => builder.copyrightFile('MIT')).toThrow(/update copyrightFile/);
  });

  it('gives a reason for every lintian override, and ships a manual page for /usr/bin/klustera', () => {
    const lines = readFileSync(path.join(debDir, 'lintian-overrides'), 'utf8').split('\n');
    const overrides = lines.filter((line) => line.startsWith('klustera-server: '));
    expect(overrides.length).toBeGreaterThan(0);
    for (const override of overrides) expect(lines[lines.indexOf(override) - 1]).toMatch(/^# \S/);
    expect(lines.every((line) => line === '' || line.startsWith('#') || line.startsWith('klustera-server: '))).toBe(true);
    expect(readFileSync(path.join(debDir, 'klustera.1'), 'utf8')).toMatch(/^\.TH KLUSTERA 1 /);
  });

  it("names the architecture as dpkg does for Node's CPU names", () => {
    expect(builder.debianArchitecture('x64')).toBe('amd64');
    expect(builder.debianArchitecture('arm64')).toBe('arm64');
    expect(builder.debianArchitecture('arm')).toBe('armhf');
    expect(() => builder.debianArchitecture('mips')).toThrow();
  });

  it('runs /usr/bin/klustera with HOST, PORT and extra flags from /etc/default/klustera, keeping the hardening', () => {
    expect(serviceLines('ExecStart')).toEqual(['/usr/bin/klustera serve --host ${HOST} --data-dir /var/lib/klustera $KLUSTERA_OPTS']);
    expect(serviceLines('EnvironmentFile')).toEqual(['-/etc/default/klustera']);
    expect(serviceLines('Environment')).toEqual(expect.arrayContaining(['PORT=4780', 'HOST=0.0.0.0']));
    for (const key of ['User', 'StateDirectory', 'ProtectSystem', 'NoNewPrivileges', 'SupplementaryGroups', 'UMask']) {
      expect(serviceLines(key)).toEqual(
        repoUnit
          .split('\n')
          .filter((line) => line.startsWith(`${key}=`))
          .map((line) => line.slice(key.length + 1)),
      );
    }
    const defaults = readFileSync(path.join(debDir, 'default'), 'utf8');
    const settings = defaults.split('\n').filter((line) => line !== '' && !line.startsWith('#'));
    expect(settings).toEqual(['PORT=4780', 'HOST=0.0.0.0', 'KLUSTERA_OPTS=']);
  });

  it('refuses to package a unit whose command line changed under it', () => {
    expect(() => builder.packagedUnit(repoUnit.replace('--host 0.0.0.0', '--host ::'))).toThrow(/ExecStart changed/);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (analyze.status === 0) {
    it('passes systemd-analyze verify', () => {
      const dir = mkdtempSync(path.join(tmpdir(), 'klustera-deb-unit-'));
      const standIn = path.join(dir, 'klustera');
      writeFileSync(standIn, '#!/bin/sh\n');
      chmodSync(standIn, 0o755);
      const copy = path.join(dir, 'klustera.service');
      writeFileSync(
        copy,
        unit.replace('/usr/bin/klustera', standIn).replace('EnvironmentFile=-/etc/default/klustera', `EnvironmentFile=-${dir}/default`),
      );
      const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    });
  }

  it('ships what the dependencies load, found as Node finds it, without the run-from-source tools and what only they need', () => {
    const lock = {
      packages: {
        '': { dependencies: { express: '^5', knex: '^3', pg: '^8', tsx: '^4' }, devDependencies: { vitest: '^4' } },
        'node_modules/express': { dependencies: { debug: '^4', 'path-to-regexp': '^8' } },
        'node_modules/debug': { dependencies: { ms: '^2' } },
        'node_modules/ms': {},
        // express's own copy, nested: the top-level one below is another version that only tsx's tree uses.
        'node_modules/express/node_modules/path-to-regexp': {},
        'node_modules/path-to-regexp': {},
        // knex's optional peers: pg is installed (a dependency of its own), sqlite3 is not.
        'node_modules/knex': { dependencies: { debug: '^4' }, peerDependencies: { pg: '*', sqlite3: '*' } },
        'node_modules/pg': { optionalDependencies: { 'pg-cloudflare': '^1' } },
        'node_modules/pg-cloudflare': {},
        'node_modules/tsx': { dependencies: { esbuild: '~0.28', 'path-to-regexp': '^8', debug: '^4' } },
        'node_modules/esbuild': { optionalDependencies: { '@esbuild/linux-x64': '0.28', '@esbuild/darwin-arm64': '0.28' } },
        'node_modules/@esbuild/linux-x64': {},
        'node_modules/@esbuild/darwin-arm64': {},
        'node_modules/vitest': { dev: true },
        'node_modules/klustera-linked': { link: true },
      },
    };
    const notOnDisk = new Set(['node_modules/@esbuild/darwin-arm64', 'node_modules/pg-cloudflare']);
    const exists = (key: string) => !notOnDisk.has(key);
    expect(builder.runtimePackages(lock, exists, ['tsx'])).toEqual([
      'node_modules/debug',
      'node_modules/express',
      'node_modules/express/node_modules/path-to-regexp',
      'node_modules/knex',
      'node_modules/ms',
      'node_modules/pg',
    ]);
    // Without the list, tsx's whole tree comes along (the package used to carry it).
    expect(builder.runtimePackages(lock, exists, [])).toContain('node_modules/@esbuild/linux-x64');
    expect(() => builder.runtimePackages(lock, (key) => key !== 'node_modules/pg', ['tsx'])).toThrow(
      /pg is in package\.json's dependencies but not installed/,
    );
  });

  it('leaves out of the package only dependencies that are in package.json and that the server never loads', () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const name of Object.keys(builder.NOT_RUN_BY_THE_SERVER)) expect(pkg.dependencies, name).toHaveProperty(name);
  });

  it('reads the packages a bundle loads from its imports, import() calls, requires and createRequire calls', () => {
    const bundle = [
      "import { createRequire as __klusteraRequire } from 'node:module'; const require = __klusteraRequire(import.meta.url);",
      'import express from "express";',
      'import { z as z7 } from "zod";',
      'import {',
      '  parse',
      '} from "csv-parse/sync";',
      'import "@scope/side-effect/register";',
      'import fs from "fs";',
      'import { helper } from "./local.mjs";',
      'const roll = await import("pino-roll");',
      'const pg = createRequire2(import.meta.url)("pg");',
      'const driver = createRequire3(import.meta.url).resolve("better-sqlite3");',
      "const worker = `const { parentPort } = require('node:worker_threads'); const x = require('exceljs');`;",
      'const sql = \'select id from "units" where x = 1\';',
      'knex.raw(`delete from ${table}`);',
    ].join('\n');
    expect(builder.bundleImports(bundle)).toEqual([
      '@scope/side-effect',
      'better-sqlite3',
      'csv-parse',
      'exceljs',
      'express',
      'pg',
      'pino-roll',
      'zod',
    ]);
  });

  it("leaves out other systems' prebuilt usb modules, native sources and the packages' development files", () => {
    const skipped = (file: string) => builder.skippedInPackages('linux', 'x64').some((pattern) => pattern.test(file));
    for (const kept of [
      'usb/prebuilds/linux-x64',
      'usb/prebuilds/linux-x64/node.napi.glibc.node',
      'better-sqlite3/build/Release/better_sqlite3.node',
      'pino/index.js',
      'express/index.js',
    ])
      expect(skipped(kept), kept).toBe(false);
    for (const left of [
      'usb/prebuilds/linux-arm64',
      'usb/prebuilds/android-arm',
      'usb/prebuilds/linux-x64/node.napi.musl.node',
      'usb/libusb',
      'better-sqlite3/src',
      'better-sqlite3/build/Release/obj.target',
      'function-bind/test/.eslintrc',
      'jszip/.eslintrc.js',
      'busboy/.npmignore',
      'unzipper/.gitattributes',
      'pino/index.html',
    ])
      expect(skipped(left), left).toBe(true);
  });

  it('has maintainer scripts that parse, create the user only when missing and delete data only on purge', () => {
    for (const script of ['postinst', 'prerm', 'postrm']) {
      const check = spawnSync('sh', ['-n', path.join(debDir, script)], { encoding: 'utf8' });
      expect(check.stderr).toBe('');
      expect(check.status).toBe(0);
    }
    const postinst = readFileSync(path.join(debDir, 'postinst'), 'utf8');
    expect(postinst).toMatch(/if ! getent passwd klustera >\/dev\/null; then\s+useradd --system/);
    const postrm = readFileSync(path.join(debDir, 'postrm'), 'utf8');
    const purgeBlock = postrm.slice(postrm.indexOf('if [ "$1" = "purge" ]'));
    expect(postrm.indexOf('rm -rf /var/lib/klustera')).toBeGreaterThan(postrm.indexOf('if [ "$1" = "purge" ]'));
    expect(purgeBlock).toContain('rm -rf /var/lib/klustera');
    expect(postrm.match(/rm -rf/g)).toHaveLength(1);
  });
});
