#!/usr/bin/env node
// `npm run typecheck`: every TypeScript project, each in the environment its code runs in. Two at a time (the
// build machines have two cores); exits non-zero when any project has errors.
//
//   node tests/typecheck.mjs          check all projects
//   node tests/typecheck.mjs --list   print the project files, one a line
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

// The largest first, so the smaller ones share the other core with it.
export const PROJECTS = [
  'tsconfig.json', // tests, benchmarks and build configuration: both
  'server/tsconfig.json', // Node, no DOM
  'renderer/tsconfig.json', // DOM, no Node
  'main/tsconfig.json', // Electron shell: Node, no DOM
];

function check(project) {
  return new Promise((resolve) => {
    const started = Date.now();
    const child = spawn(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '--noEmit', '--pretty', 'false', '-p', project],
      {
        cwd: root,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('close', (status) => {
      const seconds = ((Date.now() - started) / 1000).toFixed(1);
      process.stderr.write(`[typecheck] ${project}: ${status === 0 ? 'ok' : 'FAILED'} (${seconds} s)\n`);
      if (output) process.stdout.write(output.endsWith('\n') ? output : `${output}\n`);
      resolve(status ?? 1);
    });
  });
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  if (process.argv.includes('--list')) {
    process.stdout.write(`${PROJECTS.join('\n')}\n`);
  } else {
    const queue = [...PROJECTS];
    const statuses = [];
    const worker = async () => {
      for (let project = queue.shift(); project; project = queue.shift()) statuses.push(await check(project));
    };
    await Promise.all([worker(), worker()]);
    process.exit(statuses.some((status) => status !== 0) ? 1 : 0);
  }
}
