import { app, BrowserWindow, dialog, ipcMain, Menu, session, shell } from 'electron';
import path from 'node:path';
import { buildMenuTemplate } from './app-menu.ts';
import { AppWindows, defaultPreloadPath } from './app-windows.ts';
import { createIpcHandlers } from './ipc-handlers.ts';
import { registerIpcHandlers } from './ipc-bridge.ts';
import { LaunchArgsError, parseLaunchArgs, type LaunchArgs } from './launch-args.ts';
import { menuLabelsFor } from './menu-labels.ts';
import { isSafeExternalUrl } from './navigation-policy.ts';
import { resolveNodeRuntime } from './node-runtime.ts';
import { startServerChild, type ServerChild } from './server-child.ts';
import { resolveUpdateFeed, UPDATE_CHECK_INTERVAL_MS, UpdateFeedError } from './update-feed.ts';
import { buildWindowOptions } from './window-options.ts';
import { guardSession, guardWebContents } from './window-guards.ts';

let quitting = false;
let server: ServerChild | undefined;
let windows: AppWindows | undefined;

function readArgs(argv: readonly string[]): LaunchArgs | null {
  try {
    return parseLaunchArgs(argv);
  } catch (error) {
    if (!(error instanceof LaunchArgsError)) throw error;
    dialog.showErrorBox('Klustera', error.message);
    app.exit(2);
    return null;
  }
}

function openExternal(url: string): void {
  if (isSafeExternalUrl(url)) void shell.openExternal(url);
}

async function startEmbeddedServer(args: LaunchArgs, dataDir: string): Promise<ServerChild> {
  const appRoot = app.getAppPath();
  const runtime = resolveNodeRuntime({
    env: process.env,
    isPackaged: app.isPackaged,
    electronExecPath: process.execPath,
    platform: process.platform,
  });
  const serveArgs = ['serve', '--port', String(args.port), '--data-dir', dataDir];
  if (args.host) serveArgs.push('--host', args.host);
  const child = await startServerChild({
    runtime,
    scriptPath: path.join(appRoot, 'bin', 'klustera.mjs'),
    args: serveArgs,
    // An asar archive is not a directory the OS can chdir into.
    cwd: app.isPackaged ? process.resourcesPath : appRoot,
    onOutput: (stream, line) => (stream === 'stderr' ? console.error(`[server] ${line}`) : console.log(`[server] ${line}`)),
  });
  console.log(`Klustera server (${runtime.source}: ${runtime.command}) ready at ${child.url}`);
  void child.exited.then((exit) => {
    if (quitting) return;
    dialog.showErrorBox('Klustera', `Server Klustera berhenti tiba-tiba (kode ${exit.code ?? exit.signal}).`);
    app.exit(1);
  });
  return child;
}

/**
 * Checks the configured feed in the background; a failed check is logged and retried at the next interval, and an
 * update is installed only when the app quits, so a guard-post kiosk is never restarted in the middle of a shift.
 */
async function startUpdateChecks(args: LaunchArgs): Promise<void> {
  let feed: ReturnType<typeof resolveUpdateFeed>;
  try {
    feed = resolveUpdateFeed({ flag: args.updateFeed, env: process.env });
  } catch (error) {
    if (!(error instanceof UpdateFeedError)) throw error;
    console.error(`[update] ${error.message}; update checks are off`);
    return;
  }
  // Development runs have no packaged app-update metadata to compare against.
  if (!feed.enabled || !app.isPackaged) return;
  const { autoUpdater } = await import('electron-updater');
  autoUpdater.setFeedURL({ provider: 'generic', url: feed.url });
  autoUpdater.autoDownload = true;
  autoUpdater.autoInstallOnAppQuit = true;
  autoUpdater.on('error', (error: Error) => console.error(`[update] ${error.message}`));
  const check = (): void => {
    autoUpdater.checkForUpdatesAndNotify().catch((error: unknown) => console.error(`[update] ${(error as Error).message}`));
  };
  setTimeout(check, 30_000).unref();
  setInterval(check, UPDATE_CHECK_INTERVAL_MS).unref();
}

function installMenu(args: LaunchArgs, serverUrl: string, dataDir: string | null): void {
  if (args.kiosk) {
    Menu.setApplicationMenu(null);
    return;
  }
  const template = buildMenuTemplate({
    platform: process.platform,
    labels: menuLabelsFor(app.getLocale()),
    developerItems: !app.isPackaged,
    hasLocalData: dataDir !== null,
    actions: {
      openKiosk: () => windows?.open('kiosk'),
      openInBrowser: () => void shell.openExternal(serverUrl),
      openDataFolder: () => dataDir && void shell.openPath(dataDir),
      showAbout: () => app.showAboutPanel(),
    },
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function main(args: LaunchArgs): Promise<void> {
  await app.whenReady();
  const dataDir = args.serverUrl ? null : (args.dataDir ?? app.getPath('userData'));
  try {
    server = args.serverUrl ? undefined : await startEmbeddedServer(args, dataDir!);
  } catch (error) {
    dialog.showErrorBox('Klustera', `Server Klustera tidak dapat dijalankan.\n\n${(error as Error).message}`);
    app.exit(1);
    return;
  }
  const serverUrl = args.serverUrl ?? server!.url;
  const appOrigin = new URL(serverUrl).origin;
  const preloadPath = defaultPreloadPath();

  guardSession(session.defaultSession, appOrigin);
  const childWindowOptions = buildWindowOptions({ kind: 'office', preloadPath, allowDevTools: !app.isPackaged });
  app.on('web-contents-created', (_event, contents) => guardWebContents(contents, appOrigin, openExternal, childWindowOptions));

  registerIpcHandlers(
    ipcMain,
    createIpcHandlers({
      appOrigin,
      appInfo: () => ({
        name: app.getName(),
        version: app.getVersion(),
        electron: process.versions.electron,
        chrome: process.versions.chrome,
        platform: process.platform,
        kiosk: args.kiosk,
        server_url: serverUrl,
        data_dir: dataDir,
      }),
      openExternal: (url) => shell.openExternal(url),
    }),
  );

  windows = new AppWindows({
    serverUrl,
    preloadPath,
    stateFile: path.join(app.getPath('userData'), 'window-state.json'),
    allowDevTools: !app.isPackaged,
    isQuitting: () => quitting,
  });
  installMenu(args, serverUrl, dataDir);
  windows.open(args.kiosk ? 'kiosk' : 'office');
  void startUpdateChecks(args);

  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) windows?.open(args.kiosk ? 'kiosk' : 'office');
  });
}

// A portable install or a test run keeps its profile (and therefore its single-instance lock) elsewhere.
if (process.env.KLUSTERA_USER_DATA_DIR) app.setPath('userData', path.resolve(process.env.KLUSTERA_USER_DATA_DIR));

if (!app.requestSingleInstanceLock()) {
  // Another Klustera is running and owns the database; it was told about us via 'second-instance'.
  app.quit();
} else {
  const parsed = readArgs(process.argv);
  if (parsed) startApp(parsed);
}

function startApp(args: LaunchArgs): void {
  app.on('second-instance', (_event, argv) => {
    let kiosk = false;
    try {
      kiosk = parseLaunchArgs(argv).kiosk;
    } catch {
      // A second launch with bad flags just focuses the running app.
    }
    // Double-clicking the icon on a guard-post machine must bring back the kiosk, not open the office window.
    windows?.open(kiosk || args.kiosk ? 'kiosk' : 'office');
  });

  app.on('before-quit', (event) => {
    quitting = true;
    if (!server) return;
    // Give the server the chance to checkpoint SQLite before Electron exits.
    event.preventDefault();
    const stopping = server;
    server = undefined;
    void stopping.stop().finally(() => app.quit());
  });

  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });

  for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => app.quit());

  main(args).catch((error: unknown) => {
    console.error(error);
    app.exit(1);
  });
}
