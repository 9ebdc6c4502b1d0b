import type { IpcMain } from 'electron';
import { IPC_CHANNELS } from './desktop-api.ts';
import type { IpcHandler } from './ipc-handlers.ts';

/** Connects the pure handlers to ipcMain, passing the sending frame's URL so each call can be origin-checked. */
export function registerIpcHandlers(ipcMain: IpcMain, handlers: Record<string, IpcHandler>): void {
  for (const channel of Object.values(IPC_CHANNELS)) {
    const handler = handlers[channel];
    if (!handler) throw new Error(`No IPC handler for ${channel}`);
    ipcMain.handle(channel, (event, payload: unknown) => handler(payload, event.senderFrame?.url));
  }
}
