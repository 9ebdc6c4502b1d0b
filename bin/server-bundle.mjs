// The server is TypeScript. Loading it through tsx costs over a second of transpiling on every start, which is
// most of the cold-start budget, so the CLI runs a bundle built by esbuild and rebuilds it only when a source
// file changed. Each build lands in its own folder named after the sources' state, so parallel starts never see a
// half-written bundle.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCES = ['server', 'shared', 'migrations', 'package.json'];

function scan(target, acc) {
  let stat;
  try {
    stat = fs.statSync(target);
  } catch {
    return acc;
  }
  if (stat.isDirectory()) {
    for (const entry of fs.readdirSync(target)) {
      if (entry === 'node_modules' || entry.startsWith('.')) continue;
      scan(path.join(target, entry), acc);
    }
  } else if (!/\.test\.ts$/.test(target)) {
    acc.count += 1;
    acc.newest = Math.max(acc.newest, stat.mtimeMs);
    acc.size += stat.size;
  }
  return acc;
}

export function sourceStateKey() {
  const acc = { count: 0, newest: 0, size: 0 };
  for (const s of SOURCES) scan(path.join(root, s), acc);
  return `${Math.floor(acc.newest).toString(36)}-${acc.count.toString(36)}-${acc.size.toString(36)}`;
}

const RELEASE = 'release';

/**
 * Path of an up-to-date bundle of server/cli.ts, building it when needed; null when esbuild is unavailable.
 * A packaged app ships only the release bundle (`npm run build:server`), without the TypeScript sources.
 */
export async function serverBundle() {
  const base = path.join(root, 'dist', 'server');
  if (!fs.existsSync(path.join(root, 'server', 'cli.ts'))) {
    const release = path.join(base, RELEASE, 'cli.mjs');
    return fs.existsSync(release) ? release : null;
  }
  return buildBundle(sourceStateKey());
}

/** Builds the release bundle that packaging ships. */
export async function buildReleaseBundle() {
  fs.rmSync(path.join(root, 'dist', 'server', RELEASE), { recursive: true, force: true });
  return buildBundle(RELEASE);
}

async function buildBundle(key) {
  const base = path.join(root, 'dist', 'server');
  const dir = path.join(base, key);
  const entry = path.join(dir, 'cli.mjs');
  if (fs.existsSync(entry)) return entry;
  let esbuild;
  try {
    esbuild = await import('esbuild');
  } catch {
    return null;
  }
  const tmp = `${dir}.tmp-${process.pid}`;
  const migrations = fs.readdirSync(path.join(root, 'migrations')).filter((f) => /^\d{14}_[\w-]+\.ts$/.test(f));
  await esbuild.build({
    entryPoints: [path.join(root, 'server', 'cli.ts')],
    outfile: path.join(tmp, 'cli.mjs'),
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    sourcemap: 'linked',
    logLevel: 'error',
    banner: { js: "import { createRequire as __klusteraRequire } from 'node:module'; const require = __klusteraRequire(import.meta.url);" },
  });
  await esbuild.build({
    entryPoints: migrations.map((f) => path.join(root, 'migrations', f)),
    outdir: path.join(tmp, 'migrations'),
    outExtension: { '.js': '.mjs' },
    bundle: false,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    logLevel: 'error',
  });
  try {
    fs.renameSync(tmp, dir);
  } catch {
    // Another process finished the same build first; use theirs.
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  for (const old of fs.readdirSync(base)) {
    if (old !== key && old !== RELEASE && !old.includes('.tmp-')) fs.rmSync(path.join(base, old), { recursive: true, force: true });
  }
  return entry;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1]) && process.argv[2] === '--release') {
  console.log(`server bundle: ${path.relative(root, await buildReleaseBundle())}`);
}
