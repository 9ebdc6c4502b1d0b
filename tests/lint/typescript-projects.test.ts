// Each TypeScript project checks its code in the environment it runs in: browser globals do not type-check in the
// server or the Electron shell, Node globals do not type-check in the renderer. A probe file using `document` and one
// using `process` are checked with each project's compiler options.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dirs: string[] = [];

/** The probe files that have type errors under the project's compiler options. */
function filesWithErrors(project: string): string[] {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'klustera-tsconfig-'));
  dirs.push(dir);
  symlinkSync(path.join(root, 'node_modules'), path.join(dir, 'node_modules'), 'dir');
  writeFileSync(path.join(dir, 'uses-dom.ts'), 'export const title: string = document.title;\n');
  writeFileSync(path.join(dir, 'uses-node.ts'), 'export const cwd: string = process.cwd();\n');
  writeFileSync(
    path.join(dir, 'tsconfig.json'),
    JSON.stringify({ extends: path.join(root, project), include: ['uses-dom.ts', 'uses-node.ts'], exclude: [] }),
  );
  const result = spawnSync(
    process.execPath,
    [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--pretty', 'false', '-p', dir],
    {
      cwd: dir,
      encoding: 'utf8',
    },
  );
  const files = new Set<string>();
  for (const line of result.stdout.split('\n')) {
    const match = /^(uses-\w+\.ts)\(\d+,\d+\): error TS\d+: Cannot find name '(document|process)'/.exec(line);
    if (match) files.add(match[1]);
    else if (line.includes('error TS')) throw new Error(`unexpected compiler error for ${project}: ${line}`);
  }
  return [...files].sort();
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('TypeScript projects', () => {
  it.each([
    ['server/tsconfig.json', ['uses-dom.ts']],
    ['main/tsconfig.json', ['uses-dom.ts']],
    ['renderer/tsconfig.json', ['uses-node.ts']],
    ['tsconfig.json', []],
  ])('%s refuses the globals of the other side: %j', (project, refused) => {
    expect(filesWithErrors(project)).toEqual(refused);
  });

  it('npm run typecheck checks every project', () => {
    const listed = spawnSync(process.execPath, [path.join(root, 'tests/typecheck.mjs'), '--list'], { cwd: root, encoding: 'utf8' })
      .stdout.trim()
      .split('\n')
      .sort();
    const projects = ['tsconfig.json', ...['server', 'renderer', 'main'].map((dir) => `${dir}/tsconfig.json`)].filter((file) =>
      existsSync(path.join(root, file)),
    );
    const others = readdirSync(root).filter((file) => /^tsconfig\..+\.json$/.test(file) && file !== 'tsconfig.base.json');
    expect(listed).toEqual([...projects, ...others].sort());
  });
});
