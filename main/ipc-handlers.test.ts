import { describe, expect, it } from 'vitest';
import { IPC_CHANNELS, type AppInfo } from './desktop-api.ts';
import { createIpcHandlers } from './ipc-handlers.ts';

const appOrigin = 'http://127.0.0.1:41234';
const page = `${appOrigin}/units`;
const info: AppInfo = {
  name: 'Klustera',
  version: '0.1.0',
  electron: '38.8.6',
  chrome: '140',
  platform: 'linux',
  kiosk: false,
  server_url: appOrigin,
  data_dir: '/data',
};

function setup(openExternal: (url: string) => Promise<void> = async () => {}) {
  const opened: string[] = [];
  const handlers = createIpcHandlers({
    appOrigin,
    appInfo: () => info,
    openExternal: async (url) => {
      opened.push(url);
      await openExternal(url);
    },
  });
  return { handlers, opened };
}

describe('IPC handlers', () => {
  it('app-info returns the shell description to an app page', async () => {
    const { handlers } = setup();
    expect(await handlers[IPC_CHANNELS.appInfo](undefined, page)).toEqual({ ok: true, value: info });
  });

  it('refuses calls from frames on other origins or with no frame', async () => {
    const { handlers, opened } = setup();
    expect(await handlers[IPC_CHANNELS.appInfo](undefined, 'https://evil.example/')).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(await handlers[IPC_CHANNELS.shellOpenExternal]({ url: 'https://wa.me/62812' }, undefined)).toMatchObject({
      ok: false,
      error: { code: 'FORBIDDEN' },
    });
    expect(opened).toEqual([]);
  });

  it('shell-open-external opens a wa.me link', async () => {
    const { handlers, opened } = setup();
    expect(await handlers[IPC_CHANNELS.shellOpenExternal]({ url: 'https://wa.me/6281234567890?text=Halo' }, page)).toEqual({
      ok: true,
      value: null,
    });
    expect(opened).toEqual(['https://wa.me/6281234567890?text=Halo']);
  });

  it('rejects malformed payloads with the failing field and never calls the OS', async () => {
    const { handlers, opened } = setup();
    expect(await handlers[IPC_CHANNELS.shellOpenExternal]({ url: 42 }, page)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED', field: 'url' },
    });
    expect(await handlers[IPC_CHANNELS.shellOpenExternal]({ url: 'https://a.b', extra: 1 }, page)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await handlers[IPC_CHANNELS.shellOpenExternal]('https://a.b', page)).toMatchObject({
      ok: false,
      error: { code: 'VALIDATION_FAILED' },
    });
    expect(await handlers[IPC_CHANNELS.appInfo]({ sneaky: true }, page)).toMatchObject({ ok: false, error: { code: 'VALIDATION_FAILED' } });
    expect(opened).toEqual([]);
  });

  it('refuses schemes that could launch programs', async () => {
    const { handlers, opened } = setup();
    for (const url of ['file:///C:/Windows/System32/calc.exe', 'smb://host/share', 'javascript:alert(1)']) {
      expect(await handlers[IPC_CHANNELS.shellOpenExternal]({ url }, page)).toMatchObject({ ok: false, error: { code: 'NOT_ALLOWED' } });
    }
    expect(opened).toEqual([]);
  });

  it('turns an unexpected failure into an INTERNAL error without leaking details', async () => {
    const { handlers } = setup(async () => {
      throw new Error('xdg-open: secret path /home/bendahara');
    });
    const result = await handlers[IPC_CHANNELS.shellOpenExternal]({ url: 'https://wa.me/1' }, page);
    expect(result).toMatchObject({ ok: false, error: { code: 'INTERNAL' } });
    expect(JSON.stringify(result)).not.toContain('secret');
  });
});
