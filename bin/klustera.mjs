#!/usr/bin/env node
// The klustera CLI. Runs the esbuild bundle of the server (rebuilt when a source changes); falls back to running
// the TypeScript sources through tsx where esbuild is not installed.
import { pathToFileURL } from 'node:url';
import { serverBundle } from './server-bundle.mjs';

let cli;
const bundle =
  process.env.KLUSTERA_FROM_SOURCE === '1'
    ? null
    : await serverBundle().catch((err) => {
        console.error(`[klustera] could not bundle the server (${err.message}); running from source`);
        return null;
      });
if (bundle) {
  cli = await import(pathToFileURL(bundle).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  cli = await import('../server/cli.ts');
}
process.exitCode = await cli.main(process.argv.slice(2));
