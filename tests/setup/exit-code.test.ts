// A vitest run that starts PostgreSQL must still end with vitest's own exit code: a failing test fails the run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');
let dir: string;

beforeEach(() => {
  dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-exit-code-'));
  // No imports: this folder has no node_modules, so the config and the test rely on vitest globals.
  writeFileSync(
    path.join(dir, 'vitest.config.mjs'),
    `export default { test: { globals: true, include: ['*.test.js'], globalSetup: [${JSON.stringify(path.join(ROOT, 'tests/setup/global.ts'))}] } };\n`,
  );
});
afterEach(() => {
  rmSync(dir, { recursive: true, force: true });
});

function runVitestWith(testBody: string) {
  writeFileSync(path.join(dir, 'probe.test.js'), `test('probe', async () => { ${testBody} });\n`);
  return spawnSync(
    process.execPath,
    [path.join(ROOT, 'node_modules/vitest/vitest.mjs'), 'run', '--root', dir, '--config', path.join(dir, 'vitest.config.mjs')],
    {
      cwd: dir,
      encoding: 'utf8',
      env: { ...process.env, KLUSTERA_TEST_PG: '1', KLUSTERA_TEST_DATABASE_URL: '' },
      timeout: 120_000,
    },
  );
}

describe('vitest with the embedded PostgreSQL started', () => {
  it('exits non-zero when a test fails', () => {
    const result = runVitestWith(`expect(1).toBe(2);`);
    expect(`${result.stdout}${result.stderr}`).toContain('1 failed');
    expect(result.status).toBe(1);
  });

  // KLUSTERA_TEST_PG=1 makes the global setup start PostgreSQL; had that failed, the run would fail too.
  it('exits zero when the tests pass', () => {
    const result = runVitestWith(`expect(1).toBe(1);`);
    expect(`${result.stdout}${result.stderr}`).toContain('1 passed');
    expect(result.status).toBe(0);
  });
});
