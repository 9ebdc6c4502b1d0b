import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const unitPath = path.join(repoRoot, 'installers', 'systemd', 'klustera.service');
const unitText = readFileSync(unitPath, 'utf8');

/** Minimal systemd INI reading: enough to assert on the keys this unit must have. */
function unitValues(section: string, key: string): string[] {
  const values: string[] = [];
  let current = '';
  for (const raw of unitText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('#') || line === '') continue;
    const header = line.match(/^\[(.+)\]$/);
    if (header) current = header[1]!;
    else if (current === section && line.startsWith(`${key}=`)) values.push(line.slice(key.length + 1));
  }
  return values;
}

describe('systemd unit', () => {
  it('runs `klustera serve` on every interface with the state directory as data dir, as a dedicated user', () => {
    expect(unitValues('Service', 'ExecStart')).toEqual(['/usr/local/bin/klustera serve --host 0.0.0.0 --data-dir /var/lib/klustera']);
    expect(unitValues('Service', 'User')).toEqual(['klustera']);
    expect(unitValues('Service', 'StateDirectory')).toEqual(['klustera']);
    expect(unitValues('Install', 'WantedBy')).toEqual(['multi-user.target']);
  });

  it('is hardened against writing outside its state directory', () => {
    expect(unitValues('Service', 'ProtectSystem')).toEqual(['strict']);
    expect(unitValues('Service', 'NoNewPrivileges')).toEqual(['yes']);
  });

  const analyze = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
  if (analyze.status === 0) {
    it('passes systemd-analyze verify with no warnings', () => {
      // verify insists the ExecStart binary exists; point that one path at a stand-in, keep every other line.
      const dir = mkdtempSync(path.join(tmpdir(), 'klustera-unit-'));
      const standIn = path.join(dir, 'klustera');
      writeFileSync(standIn, '#!/bin/sh\n');
      chmodSync(standIn, 0o755);
      const copy = path.join(dir, 'klustera.service');
      writeFileSync(copy, unitText.replace('/usr/local/bin/klustera', standIn));
      const result = spawnSync('systemd-analyze', ['verify', copy], { encoding: 'utf8' });
      expect(`${result.stdout}${result.stderr}`.trim()).toBe('');
      expect(result.status).toBe(0);
    });
  }
});

describe('container compose example', () => {
  const require = createRequire(path.join(repoRoot, 'package.json'));
  // js-yaml arrives with electron-builder; reusing it avoids a dependency just for this check.
  const yaml = require('js-yaml') as { load(text: string): any };
  const compose = yaml.load(readFileSync(path.join(repoRoot, 'installers', 'container', 'compose.yaml'), 'utf8'));

  it('points the server at the PostgreSQL service through DATABASE_URL and waits for it to be healthy', () => {
    const server = compose.services.klustera;
    expect(server.environment.DATABASE_URL).toMatch(/^postgres:\/\/klustera:.+@postgres:5432\/klustera$/);
    expect(server.depends_on.postgres.condition).toBe('service_healthy');
    expect(compose.services.postgres.healthcheck.test.join(' ')).toContain('pg_isready');
  });

  it('builds from the repository root with the Containerfile in installers/container', () => {
    const build = compose.services.klustera.build;
    expect(path.resolve(repoRoot, 'installers', 'container', build.context)).toBe(repoRoot);
    expect(readFileSync(path.join(repoRoot, build.dockerfile), 'utf8')).toMatch(
      /CMD \["node", "bin\/klustera\.mjs", "serve", "--host", "0\.0\.0\.0"/,
    );
  });
});
