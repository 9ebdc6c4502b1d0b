// Decides whether this vitest run needs a PostgreSQL server: a selected test file lives under tests/db/ or
// mentions `pgUrl` (it injects the URL), or KLUSTERA_TEST_PG=1 forces it.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import type { TestProject } from 'vitest/node';

const PG_MARKER = 'pgUrl';

export async function needsPostgres(project: TestProject): Promise<boolean> {
  if (process.env.KLUSTERA_TEST_PG === '1') return true;
  if (process.env.KLUSTERA_TEST_PG === '0') return false;
  const files = await selectedTestFiles(project);
  if (files === undefined) return true;
  const root = project.config.root;
  for (const file of files) {
    const relative = path.relative(root, file).split(path.sep).join('/');
    if (relative.startsWith('tests/db/')) return true;
    const text = await readFile(file, 'utf8').catch(() => '');
    if (text.includes(PG_MARKER)) return true;
  }
  return false;
}

/** The test files this run will execute, or undefined when they cannot be known (then PostgreSQL is started). */
async function selectedTestFiles(project: TestProject): Promise<string[] | undefined> {
  try {
    // `filenamePattern` holds the CLI filters (`vitest run tests/db`); vitest sets it before global setup runs.
    const filters = (project.vitest as unknown as { filenamePattern?: string[] }).filenamePattern ?? [];
    const { testFiles } = await project.globTestFiles(filters);
    return testFiles;
  } catch {
    return undefined;
  }
}
