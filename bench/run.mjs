#!/usr/bin/env node
// `npm run bench [-- name…]`: runs every bench/*.bench.ts (or those whose name contains one of the arguments),
// one after another in its own Node process so they do not disturb each other, and reports which ones failed.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const benchDir = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(benchDir, '..');
const filters = process.argv.slice(2).filter((arg) => !arg.startsWith('-'));

const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.bench.ts'))
  .filter((file) => filters.length === 0 || filters.some((filter) => file.includes(filter)))
  .sort();

if (files.length === 0) {
  process.stderr.write(`[bench] no benchmark matches ${filters.join(', ') || '*.bench.ts'}\n`);
  process.exit(1);
}

const outcomes = [];
for (const file of files) {
  process.stdout.write(`\n=== ${file} ===\n`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', path.join(benchDir, file)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, NODE_ENV: 'production' },
  });
  outcomes.push({ file, status: result.status ?? 1, seconds: (Date.now() - started) / 1000 });
}

process.stdout.write('\n=== summary ===\n');
for (const { file, status, seconds } of outcomes) {
  const verdict = status === 0 ? 'ok' : status === 2 ? 'OVER BUDGET' : `FAILED (exit ${status})`;
  process.stdout.write(`${verdict.padEnd(16)} ${file} (${seconds.toFixed(1)} s)\n`);
}
process.stdout.write('results: bench/results/\n');
process.exit(outcomes.some((o) => o.status !== 0 && o.status !== 2) ? 1 : 0);
