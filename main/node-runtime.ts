import { accessSync, constants } from 'node:fs';
import path from 'node:path';

/**
 * Which program runs the server child.
 *
 * `process.execPath` inside Electron is the Electron binary, not Node. In development the native modules
 * (better-sqlite3, usb) in node_modules are compiled for the system Node, so the server must run there.
 * In a packaged app electron-builder has rebuilt them for Electron's ABI, so the server runs under
 * Electron's own Node (ELECTRON_RUN_AS_NODE=1) and no Node installation is needed on the estate PC.
 */
export interface NodeRuntime {
  command: string;
  env: Record<string, string>;
  source: 'KLUSTERA_NODE' | 'PATH' | 'electron-as-node';
}

export interface NodeRuntimeInput {
  env: NodeJS.ProcessEnv;
  isPackaged: boolean;
  /** Electron's own executable, used as Node when ELECTRON_RUN_AS_NODE is set. */
  electronExecPath: string;
  platform: NodeJS.Platform;
}

export function findOnPath(name: string, envPath: string | undefined, platform: NodeJS.Platform): string | null {
  if (!envPath) return null;
  const separator = platform === 'win32' ? ';' : ':';
  const extensions = platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of envPath.split(separator)) {
    if (!dir) continue;
    for (const ext of extensions) {
      const candidate = path.join(dir, name + ext);
      try {
        accessSync(candidate, platform === 'win32' ? constants.F_OK : constants.X_OK);
        return candidate;
      } catch {
        // not here; keep looking
      }
    }
  }
  return null;
}

export function resolveNodeRuntime(input: NodeRuntimeInput): NodeRuntime {
  const configured = input.env.KLUSTERA_NODE;
  if (configured) return { command: configured, env: {}, source: 'KLUSTERA_NODE' };
  if (!input.isPackaged) {
    const onPath = findOnPath('node', input.env.PATH ?? input.env.Path, input.platform);
    if (onPath) return { command: onPath, env: {}, source: 'PATH' };
  }
  return { command: input.electronExecPath, env: { ELECTRON_RUN_AS_NODE: '1' }, source: 'electron-as-node' };
}
