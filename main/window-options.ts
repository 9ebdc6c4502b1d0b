import type { BrowserWindowConstructorOptions } from 'electron';

export type WindowKind = 'office' | 'kiosk';

export interface WindowBounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

export interface WindowOptionsInput {
  kind: WindowKind;
  preloadPath: string;
  /** Remembered office window bounds; ignored for the kiosk, which always fills the screen. */
  bounds?: WindowBounds;
  /** Development builds keep DevTools for the office window; the kiosk never gets them. */
  allowDevTools: boolean;
}

export const DEFAULT_OFFICE_BOUNDS: WindowBounds = { width: 1280, height: 800 };

/**
 * The renderer is treated like a web page from the network: it is, after all, the same pages LAN browsers load.
 * No Node in the page, an isolated preload world, the Chromium sandbox, and nothing the web platform would not allow.
 */
export function buildWindowOptions(input: WindowOptionsInput): BrowserWindowConstructorOptions {
  const kiosk = input.kind === 'kiosk';
  const bounds = kiosk ? DEFAULT_OFFICE_BOUNDS : (input.bounds ?? DEFAULT_OFFICE_BOUNDS);
  return {
    ...bounds,
    minWidth: 960,
    minHeight: 600,
    show: false,
    title: kiosk ? 'Klustera — Pos Satpam' : 'Klustera',
    backgroundColor: '#ffffff',
    kiosk,
    fullscreen: kiosk,
    autoHideMenuBar: kiosk,
    closable: !kiosk,
    minimizable: !kiosk,
    webPreferences: {
      preload: input.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      safeDialogs: true,
      devTools: !kiosk && input.allowDevTools,
    },
  };
}

export function windowStartUrl(serverUrl: string, kind: WindowKind): string {
  return new URL(kind === 'kiosk' ? '/kiosk' : '/', serverUrl).toString();
}
