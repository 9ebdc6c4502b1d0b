// Start-up time is mostly module loading (cold start budget: ready < 1.5 s). Packages that only some requests or
// only the hosted instance need are loaded when first used, not when the server starts.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const serverDir = path.dirname(fileURLToPath(import.meta.url));

function packagesLoadedBy(modules: string[]): string[] {
  const imports = modules.map((m) => `await import(${JSON.stringify(pathToFileURL(path.join(serverDir, m)).href)});`).join('\n');
  const script = `${imports}
const { createRequire } = await import('node:module');
const loaded = Object.keys(createRequire(import.meta.url).cache)
  .map((file) => /node_modules[\\\\/]((@[^\\\\/]+[\\\\/])?[^\\\\/]+)/.exec(file)?.[1])
  .filter(Boolean);
console.log(JSON.stringify([...new Set(loaded)]));`;
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
    cwd: path.resolve(serverDir, '..'),
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout.trim().split('\n').pop()!) as string[];
}

describe('what the server loads when it starts', () => {
  it('loads neither exceljs (exports only) nor the PostgreSQL driver (hosted instance only)', () => {
    const loaded = packagesLoadedBy(['start.ts', 'http/app.ts', 'http/routes-index.ts']);
    // The probe sees packages at all: the ones every request needs are there.
    expect(loaded).toEqual(expect.arrayContaining(['express', 'knex']));
    expect(loaded).not.toContain('exceljs');
    expect(loaded).not.toContain('pg');
  });
});
