import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('.', import.meta.url));

// One build serves all three faces (/, /portal, /kiosk): the server answers every non-API path with index.html and
// the app picks the face from the path, so the Electron window and LAN browsers load exactly the same files.
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    sourcemap: true,
  },
  server: {
    // `npm run serve` (or any running Klustera) answers the API while vite serves the renderer with hot reload.
    proxy: { '/api': process.env.KLUSTERA_API_URL ?? 'http://127.0.0.1:4780' },
  },
});
