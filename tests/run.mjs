#!/usr/bin/env node
// `npm test`: checks the machine has what the tests need, builds the renderer when it is missing or stale,
// checks formatting and import rules, typechecks, then runs vitest with the given arguments.
//
//   npm test                      everything (format check, import rules, typecheck + all tests)
//   npm test -- tests/db          only some files; the checks before the tests are skipped when test files are named
//   KLUSTERA_TYPECHECK=0|1        force those checks off / on
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
let formatStatus = 0;
let importsStatus = 0;
if (shouldTypecheck()) {
  note('format: biome format (check only; `npm run format` rewrites)');
  formatStatus = run(process.execPath, [path.join(root, 'node_modules/@biomejs/biome/bin/biome'), 'format']);
  if (formatStatus !== 0) note('format check failed; running the tests anyway');
  note('import rules: dependency-cruiser (.dependency-cruiser.cjs)');
  importsStatus = run('npm', ['run', '--silent', 'lint:imports']);
  if (importsStatus !== 0) note('import rules failed; running the tests anyway');
  note('typecheck: every TypeScript project (tests/typecheck.mjs)');
  typecheckStatus = run(process.execPath, [path.join(root, 'tests/typecheck.mjs')]);
  if (typecheckStatus !== 0) note('typecheck failed; running the tests anyway');
} else {
  note(
    'format check, import rules and typecheck skipped (test files named); run them with `npm run format:check`, `npm run lint:imports`, `npm run typecheck`',
  );
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

/** One vitest run (optionally under `faketime` and with extra environment); its status, checked against its report. */
function runVitest(vitestArgs, { env = {}, fakeTime } = {}) {
  const reportDir = mkdtempSync(path.join(os.tmpdir(), 'klustera-test-report-'));
  const reportFile = path.join(reportDir, 'vitest.json');
  const reporterArgs = ownReporters ? [] : ['--reporter=default', '--reporter=json', `--outputFile.json=${reportFile}`];
  const vitest = [path.join(root, 'node_modules/vitest/vitest.mjs'), 'run', ...reporterArgs, ...vitestArgs];
  // faketime -f '@<start>': the clock starts at <start> and runs on from there, for this process and its children.
  const [command, commandArgs] = fakeTime ? ['faketime', ['-f', `@${fakeTime}`, process.execPath, ...vitest]] : [process.execPath, vitest];
  const result = spawnSync(command, commandArgs, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  if (result.error) throw result.error;
  let status = result.status ?? 1;
  if (!ownReporters) {
    const failures = failuresInReport(reportFile);
    if (status === 0 && failures === undefined) {
      note('vitest wrote no report: treating the run as failed');
      status = 1;
    } else if (status === 0 && failures > 0) {
      note('vitest exited with 0 but its report lists failures: treating the run as failed');
      status = 1;
    }
  }
  rmSync(reportDir, { recursive: true, force: true });
  return status;
}

/**
 * The tests whose answers depend on the estate's calendar, run again at the hours where the estate's day and UTC's
 * differ: 23:30 and 00:30 in Jakarta (WIB), and 00:30 in Jayapura (WIT) for an estate there.
 */
const CALENDAR_TESTS = [
  'tests/api/calendar.test.ts',
  'tests/api/gate-post.test.ts',
  'tests/api/gate-scan.test.ts',
  'tests/api/passes.test.ts',
  'tests/api/billing.test.ts',
  'tests/api/payments.test.ts',
  'tests/api/cashbook.test.ts',
  'tests/api/receipts.test.ts',
  'tests/api/reports.test.ts',
  'tests/api/portal-receipt.test.ts',
];
const CALENDAR_RUNS = [
  { label: '23:30 in Jakarta', fakeTime: '2026-11-30 16:30:00', env: {} },
  { label: '00:30 in Jakarta', fakeTime: '2026-11-30 17:30:00', env: {} },
  {
    label: '00:30 in Jayapura, estate in Asia/Jayapura',
    fakeTime: '2026-12-31 15:30:00',
    env: { KLUSTERA_TEST_ESTATE_TZ: 'Asia/Jayapura' },
  },
];

function requireFaketime() {
  const found = spawnSync('faketime', ['-f', '@2026-01-01 00:00:00', 'true'], { stdio: 'ignore' });
  if (found.error || found.status !== 0) {
    note('faketime not found. The calendar runs of the suite need it.');
    note('install it: apt-get install faketime   (or run only some test files: npm test -- tests/api)');
    process.exit(1);
  }
}

const fullSuite = !args.some((arg) => !arg.startsWith('-'));
if (fullSuite && process.env.KLUSTERA_CALENDAR_RUNS !== '0') requireFaketime();

let vitestStatus = runVitest(args);
if (fullSuite && process.env.KLUSTERA_POSTGRES_RUN !== '0') {
  // The API suites again, every test server on a fresh PostgreSQL database: the hosted instance's backend is first class.
  note('PostgreSQL run: tests/api with KLUSTERA_TEST_BACKEND=postgres, served through row-level security');
  // Each API suite's test server also checks, when it closes, that every row the suite wrote has its audit and outbox
  // rows (tests/support/journal-coverage.ts; a few table scans per server). Only tests/api: the crash and browser
  // tests seed rows directly. KLUSTERA_CHECK_OUTBOX=0 turns it off.
  const env = {
    KLUSTERA_TEST_BACKEND: 'postgres',
    KLUSTERA_TEST_PG: '1',
    // Every test server serves as the row-security role, as the hosted instance does, whatever the shell says.
    KLUSTERA_ROW_SECURITY: '1',
    KLUSTERA_TYPECHECK: '0',
    KLUSTERA_CHECK_OUTBOX: process.env.KLUSTERA_CHECK_OUTBOX ?? '1',
  };
  const status = runVitest([...args, 'tests/api'], { env });
  if (status !== 0) {
    note('FAILED: the API suites on PostgreSQL');
    vitestStatus ||= status;
  }
}
if (fullSuite && process.env.KLUSTERA_CALENDAR_RUNS !== '0') {
  for (const calendarRun of CALENDAR_RUNS) {
    note(`calendar run: ${calendarRun.label} (faketime ${calendarRun.fakeTime} UTC)`);
    const status = runVitest([...args, ...CALENDAR_TESTS], {
      env: { ...calendarRun.env, KLUSTERA_TYPECHECK: '0' },
      fakeTime: calendarRun.fakeTime,
    });
    if (status !== 0) {
      note(`FAILED: calendar run at ${calendarRun.label}`);
      vitestStatus ||= status;
    }
  }
}
if (formatStatus !== 0) note('FAILED: format check (see above; `npm run format` fixes it)');
if (importsStatus !== 0) note('FAILED: import rules (see above)');
if (typecheckStatus !== 0) note('FAILED: typecheck (see above)');
process.exit(vitestStatus || typecheckStatus || importsStatus || formatStatus);
