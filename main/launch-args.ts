/**
 * Command-line flags the desktop shell understands. Chromium and Playwright add their own switches
 * (`--no-sandbox`, `--remote-debugging-port=0`, `--inspect`), so unknown flags are ignored rather than rejected.
 */
export interface LaunchArgs {
  /** Open the guard-post kiosk window on `/kiosk` instead of the office window. */
  kiosk: boolean;
  /** Port for the embedded server; 0 lets the OS choose. */
  port: number;
  /** Interface for the embedded server; undefined keeps the server's own default (loopback). */
  host: string | undefined;
  /** Where the embedded server keeps its database; undefined means Electron's userData folder. */
  dataDir: string | undefined;
  /** Use an already-running Klustera server (e.g. the office PC) instead of starting one. */
  serverUrl: string | undefined;
  /** An update feed (see update-feed.ts); undefined falls back to KLUSTERA_UPDATE_FEED, else no updates. */
  updateFeed: string | undefined;
}

export class LaunchArgsError extends Error {
  override name = 'LaunchArgsError';
}

const VALUE_FLAGS = new Set(['--port', '--host', '--data-dir', '--server-url', '--update-feed']);

function readFlags(argv: readonly string[]): Map<string, string | true> {
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (!arg.startsWith('--')) continue;
    const eq = arg.indexOf('=');
    const name = eq === -1 ? arg : arg.slice(0, eq);
    if (eq !== -1) {
      flags.set(name, arg.slice(eq + 1));
    } else if (VALUE_FLAGS.has(name)) {
      const value = argv[i + 1];
      if (value === undefined || value.startsWith('--')) throw new LaunchArgsError(`${name} needs a value`);
      flags.set(name, value);
      i++;
    } else {
      flags.set(name, true);
    }
  }
  return flags;
}

function parsePort(raw: string | true | undefined): number {
  if (raw === undefined) return 0;
  if (raw === true || !/^\d{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new LaunchArgsError(`--port must be a number from 0 to 65535, got ${String(raw)}`);
  }
  return Number(raw);
}

function parseServerUrl(raw: string | true | undefined): string | undefined {
  if (raw === undefined) return undefined;
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    throw new LaunchArgsError(`--server-url is not a URL: ${String(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new LaunchArgsError('--server-url must be an http:// or https:// address');
  }
  return url.origin;
}

function stringFlag(flags: Map<string, string | true>, name: string): string | undefined {
  const value = flags.get(name);
  if (value === true) throw new LaunchArgsError(`${name} needs a value`);
  return value === '' ? undefined : value;
}

export function parseLaunchArgs(argv: readonly string[]): LaunchArgs {
  const flags = readFlags(argv);
  return {
    kiosk: flags.get('--kiosk') === true || flags.get('--kiosk') === 'true',
    port: parsePort(flags.get('--port')),
    host: stringFlag(flags, '--host'),
    dataDir: stringFlag(flags, '--data-dir'),
    serverUrl: parseServerUrl(flags.get('--server-url')),
    updateFeed: stringFlag(flags, '--update-feed'),
  };
}
