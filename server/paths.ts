import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project root, found by walking up to Klustera's package.json. The server runs from source (tsx, vitest), from
 * the bundle in dist/server/ and from a packaged app, so paths are never fixed relative to one file.
 */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg) && (JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'klustera') return dir;
    const parent = path.dirname(dir);
    if (parent === dir) throw new Error('cannot find the Klustera package root');
    dir = parent;
  }
}

export const PROJECT_ROOT = findRoot();
export const RENDERER_DIST = path.join(PROJECT_ROOT, 'renderer', 'dist');
export const PACKAGE_JSON = path.join(PROJECT_ROOT, 'package.json');

/** Compiled migrations sit beside the bundle; from source they are the .ts files in migrations/. */
export const MIGRATIONS_DIR = (() => {
  const here = path.dirname(fileURLToPath(import.meta.url));
  const bundled = path.join(here, 'migrations');
  return fs.existsSync(bundled) && here.includes(`${path.sep}dist${path.sep}`) ? bundled : path.join(PROJECT_ROOT, 'migrations');
})();
