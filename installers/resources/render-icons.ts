// Renders the app icon electron-builder packs (installers/resources/icon.png, 1024×1024) from the same drawing as
// the web app's favicon (renderer/public/favicon.svg), so the desktop, the installer and the browser tab match.
// electron-builder derives the Windows .ico and the macOS .icns from this PNG. Run after changing the favicon:
//   node --import tsx installers/resources/render-icons.ts
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { launchChromium } from '../../tests/browser/support/browser.ts';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const svg = readFileSync(path.join(repoRoot, 'renderer', 'public', 'favicon.svg'), 'utf8');
const SIZE = 1024;

const browser = await launchChromium();
try {
  const page = await browser.newPage({ viewport: { width: SIZE, height: SIZE }, deviceScaleFactor: 1 });
  const sized = svg.replace('<svg ', `<svg width="${SIZE}" height="${SIZE}" `);
  await page.setContent(`<html><body style="margin:0;background:transparent">${sized}</body></html>`);
  await page.screenshot({ path: path.join(repoRoot, 'installers', 'resources', 'icon.png'), omitBackground: true });
} finally {
  await browser.close();
}
console.log('wrote installers/resources/icon.png');
