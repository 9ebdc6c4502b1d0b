// A stand-in for the `electron` module so the bundled main process can run under plain Node in tests
// (no Electron binary is available where the tests run). It records what the shell asks Electron to do
// as `STUB {...}` lines on stdout, and quits once the first page has been "loaded".
const Module = require('node:module');
const { EventEmitter } = require('node:events');

const report = (event, data = {}) => process.stdout.write(`STUB ${JSON.stringify({ event, ...data })}\n`);
const windows = [];

const app = new EventEmitter();
Object.assign(app, {
  isPackaged: false,
  getAppPath: () => process.env.STUB_APP_PATH,
  getPath: () => process.env.STUB_USER_DATA,
  setPath: () => {},
  requestSingleInstanceLock: () => true,
  whenReady: () => Promise.resolve(),
  getLocale: () => 'id-ID',
  getName: () => 'Klustera',
  getVersion: () => '0.1.0',
  showAboutPanel: () => {},
  quit() {
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) {
      report('quit');
      process.exit(0);
    }
  },
  exit(code) {
    report('exit', { code });
    process.exit(code);
  },
});

class WebContents extends EventEmitter {
  setWindowOpenHandler(handler) {
    this.windowOpenHandler = handler;
  }
}

class BrowserWindow extends EventEmitter {
  constructor(options) {
    super();
    this.webContents = new WebContents();
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    report('window', { options, guarded: this.webContents.listenerCount('will-navigate') > 0 });
  }
  static getAllWindows() {
    return windows;
  }
  async loadURL(url) {
    const health = await fetch(new URL('/api/v1/health', url)).then((r) => r.json());
    report('load', {
      url,
      health,
      kioskKeysGuarded: this.webContents.listenerCount('before-input-event') > 0,
      openWaMe: this.webContents.windowOpenHandler({ url: 'https://wa.me/62812' }),
    });
    setImmediate(() => app.quit());
  }
  setMenu() {}
  maximize() {}
  isDestroyed() {
    return false;
  }
}

const electron = {
  app,
  BrowserWindow,
  ipcMain: { handle: (channel) => report('ipc', { channel }) },
  Menu: {
    setApplicationMenu: (menu) => report('menu', { menu: menu === null ? null : menu.template.map((item) => item.label ?? item.role) }),
    buildFromTemplate: (template) => ({ template }),
  },
  dialog: { showErrorBox: (_title, message) => report('error-box', { message }) },
  shell: { openExternal: async (url) => report('open-external', { url }), openPath: async () => '' },
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  session: {
    defaultSession: {
      setPermissionRequestHandler: () => report('permission-handler'),
      setPermissionCheckHandler: () => {},
      setDevicePermissionHandler: () => {},
      webRequest: { onBeforeRequest: () => report('request-filter') },
    },
  },
};

const originalLoad = Module._load;
Module._load = function load(request, parent, isMain) {
  return request === 'electron' ? electron : originalLoad.call(this, request, parent, isMain);
};
