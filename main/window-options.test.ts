import { describe, expect, it } from 'vitest';
import { buildWindowOptions, windowStartUrl } from './window-options.ts';

describe('buildWindowOptions', () => {
  it('hardens every window the same way', () => {
    for (const kind of ['office', 'kiosk'] as const) {
      const web = buildWindowOptions({ kind, preloadPath: '/app/preload.cjs', allowDevTools: true }).webPreferences!;
      expect(web).toMatchObject({
        preload: '/app/preload.cjs',
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        nodeIntegrationInWorker: false,
        nodeIntegrationInSubFrames: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
      });
    }
  });

  it('makes the kiosk full screen, unclosable and without DevTools', () => {
    const options = buildWindowOptions({
      kind: 'kiosk',
      preloadPath: '/p',
      allowDevTools: true,
      bounds: { x: 5, y: 5, width: 100, height: 100 },
    });
    expect(options).toMatchObject({ kiosk: true, fullscreen: true, closable: false, minimizable: false, autoHideMenuBar: true });
    expect(options.webPreferences!.devTools).toBe(false);
    expect(options.width).toBe(1280);
  });

  it('restores remembered bounds for the office window', () => {
    const options = buildWindowOptions({
      kind: 'office',
      preloadPath: '/p',
      allowDevTools: false,
      bounds: { x: 10, y: 20, width: 1400, height: 900 },
    });
    expect(options).toMatchObject({ x: 10, y: 20, width: 1400, height: 900, kiosk: false, closable: true });
    expect(options.webPreferences!.devTools).toBe(false);
  });
});

describe('windowStartUrl', () => {
  it('opens the kiosk face on /kiosk and the office face on /', () => {
    expect(windowStartUrl('http://127.0.0.1:5000', 'kiosk')).toBe('http://127.0.0.1:5000/kiosk');
    expect(windowStartUrl('http://127.0.0.1:5000', 'office')).toBe('http://127.0.0.1:5000/');
  });
});
