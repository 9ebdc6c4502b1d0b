// `npm test` (tests/run.mjs) stops early, with the fix to apply, when the machine lacks Chromium.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('tests/run.mjs', () => {
  it('fails with the install command when Chromium is missing, before running anything', () => {
    const result = spawnSync(process.execPath, [path.join(ROOT, 'tests/run.mjs'), 'tests/setup/nothing-here'], {
      cwd: ROOT,
      encoding: 'utf8',
      env: { ...process.env, CHROMIUM_PATH: '/nonexistent/chromium' },
      timeout: 30_000,
    });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('install it: apt-get install chromium');
    expect(result.stderr).toContain('/nonexistent/chromium');
    expect(result.stdout).not.toContain('RUN');
    expect(result.stderr).not.toContain('typecheck');
  });
});
