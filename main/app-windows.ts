import { BrowserWindow, screen } from 'electron';
import path from 'node:path';
import { buildWindowOptions, windowStartUrl, type WindowKind } from './window-options.ts';
import { fitToDisplays, readWindowState, writeWindowState } from './window-state.ts';
import { guardKioskContents } from './window-guards.ts';

export interface AppWindowsConfig {
  serverUrl: string;
  preloadPath: string;
  stateFile: string;
  allowDevTools: boolean;
  /** True once the app is really quitting; until then the kiosk window refuses to close. */
  isQuitting(): boolean;
}

/** Owns the (at most) one office window and one kiosk window. */
export class AppWindows {
  private readonly windows = new Map<WindowKind, BrowserWindow>();

  constructor(private readonly config: AppWindowsConfig) {}

  get(kind: WindowKind): BrowserWindow | undefined {
    return this.windows.get(kind);
  }

  open(kind: WindowKind): BrowserWindow {
    const existing = this.windows.get(kind);
    if (existing && !existing.isDestroyed()) {
      if (existing.isMinimized()) existing.restore();
      existing.focus();
      return existing;
    }
    const saved = kind === 'office' ? readWindowState(this.config.stateFile) : null;
    const workAreas = screen.getAllDisplays().map((display) => display.workArea);
    const window = new BrowserWindow(
      buildWindowOptions({
        kind,
        preloadPath: this.config.preloadPath,
        bounds: saved ? fitToDisplays(saved.bounds, workAreas) : undefined,
        allowDevTools: this.config.allowDevTools,
      }),
    );
    this.windows.set(kind, window);
    if (kind === 'kiosk') {
      window.setMenu(null);
      guardKioskContents(window.webContents);
      window.on('close', (event) => {
        if (!this.config.isQuitting()) event.preventDefault();
      });
    } else {
      if (saved?.maximized) window.maximize();
      window.on('close', () => this.saveState(window));
    }
    window.on('closed', () => this.windows.delete(kind));
    window.once('ready-to-show', () => window.show());
    void window.loadURL(windowStartUrl(this.config.serverUrl, kind));
    return window;
  }

  count(): number {
    return this.windows.size;
  }

  private saveState(window: BrowserWindow): void {
    try {
      writeWindowState(this.config.stateFile, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
    } catch (error) {
      console.warn('Could not save window state', error);
    }
  }
}

export function defaultPreloadPath(): string {
  return path.join(__dirname, 'preload.cjs');
}
