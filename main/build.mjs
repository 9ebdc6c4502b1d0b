// Bundles the Electron shell (TypeScript) into the two CommonJS files Electron loads:
// main/dist/electron-main.cjs (package.json "main") and main/dist/preload.cjs (sandboxed preloads must be one file).
import { build } from 'esbuild';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  // Electron 38 embeds Node 22 and Chromium 140.
  target: ['node22', 'chrome140'],
  // electron-updater is loaded from the packaged node_modules only when an update feed is configured.
  external: ['electron', 'electron-updater'],
  sourcemap: 'linked',
  logLevel: 'warning',
};

await Promise.all([
  build({ ...common, entryPoints: [path.join(here, 'electron-main.ts')], outfile: path.join(here, 'dist', 'electron-main.cjs') }),
  build({ ...common, entryPoints: [path.join(here, 'preload.ts')], outfile: path.join(here, 'dist', 'preload.cjs') }),
]);
console.log('Built main/dist/electron-main.cjs and main/dist/preload.cjs');
