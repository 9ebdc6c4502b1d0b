/**
 * The contract between the page and the desktop shell: channel names (`domain-verb`), result shape and the
 * `window.klustera` API the preload exposes. No zod and no Electron here, so the sandboxed preload bundle
 * stays tiny and the renderer can `import type { KlusteraDesktopApi }` from this file.
 */
export const IPC_CHANNELS = {
  appInfo: 'app-info',
  shellOpenExternal: 'shell-open-external',
} as const;

export type IpcChannel = (typeof IPC_CHANNELS)[keyof typeof IPC_CHANNELS];

export interface IpcError {
  code: 'VALIDATION_FAILED' | 'FORBIDDEN' | 'NOT_ALLOWED' | 'INTERNAL';
  message: string;
  field?: string;
}

export type IpcResult<T> = { ok: true; value: T } | { ok: false; error: IpcError };

export interface AppInfo {
  name: string;
  version: string;
  electron: string;
  chrome: string;
  platform: string;
  kiosk: boolean;
  server_url: string;
  data_dir: string | null;
}

/** Present as `window.klustera` only inside the desktop app; pages must also work in a plain browser without it. */
export interface KlusteraDesktopApi {
  app: {
    info(): Promise<IpcResult<AppInfo>>;
  };
  shell: {
    /** Opens an http(s) link (e.g. a wa.me invite) in the user's browser. */
    openExternal(url: string): Promise<IpcResult<null>>;
  };
}
