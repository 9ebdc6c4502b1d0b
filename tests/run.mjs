#!/usr/bin/env node
// `npm test`: checks the machine has what the tests need, builds the renderer when it is missing or stale,
// typechecks, then runs vitest with the given arguments.
//
//   npm test                      everything (typecheck + all tests)
//   npm test -- tests/db          only some files; the typecheck is skipped when test files are named
//   KLUSTERA_TYPECHECK=0|1        force the typecheck off / on
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

function note(message) {
  process.stderr.write(`[test] ${message}\n`);
}

function run(command, commandArgs) {
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: process.env });
  if (result.error) throw result.error;
  return result.status ?? 1;
}

function requireChromium() {
  // An explicit CHROMIUM_PATH is the only candidate: silently testing another browser would hide a setup mistake.
  const candidates = process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser'];
  const found = candidates.find((candidate) => existsSync(candidate));
  if (!found) {
    note(`Chromium not found (looked at ${candidates.join(', ')}). The browser tests need it.`);
    note('install it: apt-get install chromium   (or set CHROMIUM_PATH to a Chromium binary)');
    process.exit(1);
  }
  process.env.CHROMIUM_PATH = found;
}

/** Newest modification time of any file under `dir`, skipping build output and dependencies. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'dist' || entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const full = path.join(dir, entry.name);
    const mtime = entry.isDirectory() ? newestMtime(full) : statSync(full).mtimeMs;
    if (mtime > newest) newest = mtime;
  }
  return newest;
}

function buildRendererIfNeeded() {
  const rendererDir = path.join(root, 'renderer');
  if (!existsSync(path.join(rendererDir, 'vite.config.ts'))) {
    note('renderer/vite.config.ts does not exist yet: not building the renderer');
    return 0;
  }
  const builtIndex = path.join(rendererDir, 'dist', 'index.html');
  const builtAt = existsSync(builtIndex) ? statSync(builtIndex).mtimeMs : 0;
  if (builtAt !== 0 && builtAt >= newestMtime(rendererDir)) return 0;
  note(builtAt === 0 ? 'renderer/dist is missing: building the renderer' : 'renderer/dist is stale: rebuilding the renderer');
  return run('npm', ['run', '--silent', 'build:renderer']);
}

function shouldTypecheck() {
  if (process.env.KLUSTERA_TYPECHECK === '0') return false;
  if (process.env.KLUSTERA_TYPECHECK === '1') return true;
  return !args.some((arg) => !arg.startsWith('-'));
}

requireChromium();
if (buildRendererIfNeeded() !== 0) {
  note('building the renderer failed');
  process.exit(1);
}

let typecheckStatus = 0;
if (shouldTypecheck()) {
  note('typecheck: tsc --noEmit');
  typecheckStatus = run(process.execPath, [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '-p', 'tsconfig.json']);
  if (typecheckStatus !== 0) note('typecheck failed; running the tests anyway');
} else {
  note('typecheck skipped (test files named); run it with `npm run typecheck`');
}

/**
 * Failed tests according to vitest's JSON report. The exit code alone is not trusted: a dependency's exit hook
 * once ended a failing run with status 0.
 */
function failuresInReport(file) {
  if (!existsSync(file)) return undefined;
  const report = JSON.parse(readFileSync(file, 'utf8'));
  return (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0) + (report.success === false ? 1 : 0);
}

const ownReporters = args.some((arg) => arg.startsWith('--reporter') || arg.startsWith('--outputFile'));
const reportDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-test-report-'));
const reportFile = path.join(reportDir, 'vitest.json');
const reporterArgs = ownReporters ? [] : ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
let vitestStatus = run(process.execPath, [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...reporterArgs, ...args]);
if (!ownReporters) {
  const failures = failuresInReport(reportFile);
  if (vitestStatus === 0 && failures === undefined) {
    note('vitest wrote no report: treating the run as failed');
    vitestStatus = 1;
  } else if (vitestStatus === 0 && failures > 0) {
    note('vitest exited with 0 but its report lists failures: treating the run as failed');
    vitestStatus = 1;
  }
  rmSync(reportDir, { recursive: true, force: true });
}
if (typecheckStatus !== 0) note('FAILED: typecheck (see above)');
process.exit(vitestStatus !== 0 ? vitestStatus : typecheckStatus);
