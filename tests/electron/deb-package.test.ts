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
}
// A computed specifier keeps tsc from wanting types for the plain-JavaScript build script.
const builder = (await import(path.join(debDir, 'build-deb.mjs'))) as {
  nodeDependency(nodeVersion: string): string;
  debianArchitecture(nodeArch: string): string;
  packagedUnit(unitText: string): string;
  productionPackages(lock: { packages: Record<string, LockEntry> }, exists: (key: string) => boolean): string[];
  controlFile(fields: { version: string; architecture: string; nodeVersion: string; installedSizeKb: number }): string;
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

  it('ships production packages only, and only those installed on this platform', () => {
    const lock = {
      packages: {
        '': {},
        'node_modules/express': {},
        'node_modules/vitest': { dev: true },
        'node_modules/esbuild/node_modules/@esbuild/linux-x64': {},
        'node_modules/@esbuild/darwin-arm64': {},
        'node_modules/klustera-linked': { link: true },
      },
    };
    const installed = new Set(['node_modules/express', 'node_modules/vitest', 'node_modules/esbuild/node_modules/@esbuild/linux-x64']);
    expect(builder.productionPackages(lock, (key) => installed.has(key))).toEqual([
      'node_modules/esbuild/node_modules/@esbuild/linux-x64',
      'node_modules/express',
    ]);
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
