// PostgreSQL is started only for runs that select a test needing it.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { needsPostgres } from './pg-need.ts';

// Built from parts so this file itself does not look like a PostgreSQL test to the detector.
const MARKER = ['pg', 'Url'].join('');

let root: string;
let savedEnv: string | undefined;

function fakeProject(files: string[], filters: string[] = []): TestProject {
  return {
    config: { root },
    vitest: { filenamePattern: filters },
    async globTestFiles(f: string[]) {
      return { testFiles: files.filter((file) => f.length === 0 || f.some((x) => file.includes(x))), typecheckTestFiles: [] };
    },
  } as unknown as TestProject;
}

function testFile(relative: string, text: string): string {
  const file = path.join(root, relative);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
  return file;
}

beforeEach(() => {
  root = mkdtempSync(path.join(os.tmpdir(), 'klustera-pg-need-'));
  savedEnv = process.env.KLUSTERA_TEST_PG;
  delete process.env.KLUSTERA_TEST_PG;
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
  if (savedEnv === undefined) delete process.env.KLUSTERA_TEST_PG;
  else process.env.KLUSTERA_TEST_PG = savedEnv;
});

describe('needsPostgres', () => {
  it('is false when no selected file needs a database server', async () => {
    const files = [testFile('server/money/rupiah.test.ts', 'it()'), testFile('tests/api/units.test.ts', 'startTestServer()')];
    expect(await needsPostgres(fakeProject(files))).toBe(false);
  });

  it('is true when a selected file lives under tests/db/', async () => {
    const files = [testFile('server/a.test.ts', ''), testFile('tests/db/scoped-store.test.ts', '')];
    expect(await needsPostgres(fakeProject(files))).toBe(true);
  });

  it('is true when a selected file injects the server URL', async () => {
    const files = [testFile('tests/api/hosted.test.ts', `const url = inject('${MARKER}');`)];
    expect(await needsPostgres(fakeProject(files))).toBe(true);
  });

  it('follows the command-line filters', async () => {
    const files = [testFile('server/money/rupiah.test.ts', ''), testFile('tests/db/migrations.test.ts', '')];
    expect(await needsPostgres(fakeProject(files, ['server/money']))).toBe(false);
    expect(await needsPostgres(fakeProject(files, ['tests/db']))).toBe(true);
  });

  it('can be forced on and off with KLUSTERA_TEST_PG', async () => {
    const dbFile = [testFile('tests/db/x.test.ts', '')];
    process.env.KLUSTERA_TEST_PG = '0';
    expect(await needsPostgres(fakeProject(dbFile))).toBe(false);
    process.env.KLUSTERA_TEST_PG = '1';
    expect(await needsPostgres(fakeProject([]))).toBe(true);
  });

  it('starts it when the selected files cannot be listed', async () => {
    const broken = {
      config: { root },
      vitest: {},
      globTestFiles: async () => {
        throw new Error('no');
      },
    } as unknown as TestProject;
    expect(await needsPostgres(broken)).toBe(true);
  });
});
