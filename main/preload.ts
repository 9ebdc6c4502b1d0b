import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type KlusteraDesktopApi } from './desktop-api.ts';

// Runs sandboxed: only `electron`'s renderer modules are available, so this file imports nothing with side effects.
// The page gets functions, never ipcRenderer itself, so it cannot invoke channels that are not listed here.
const api: KlusteraDesktopApi = {
  app: {
    info: () => ipcRenderer.invoke(IPC_CHANNELS.appInfo),
  },
  shell: {
    openExternal: (url: string) => ipcRenderer.invoke(IPC_CHANNELS.shellOpenExternal, { url }),
  },
};

contextBridge.exposeInMainWorld('klustera', api);
