import { defineConfig } from 'vitest/config';

// The desktop-window tests need a real Electron binary, which `npm install` here does not download.
// They run only through `npm run test:electron`, never as part of `npm test`.
export default defineConfig({
  test: {
    root: new URL('../..', import.meta.url).pathname,
    include: ['tests/electron/**/*.electron.ts'],
    globalSetup: ['tests/electron/electron-global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
  },
});
