import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it } from 'vitest';
import { buildMenuTemplate, type MenuActions } from './app-menu.ts';
import { menuLabelsFor } from './menu-labels.ts';

function flatten(items: MenuItemConstructorOptions[]): MenuItemConstructorOptions[] {
  return items.flatMap((item) => [item, ...(Array.isArray(item.submenu) ? flatten(item.submenu) : [])]);
}

function template(overrides: { platform?: NodeJS.Platform; developerItems?: boolean; hasLocalData?: boolean; locale?: string } = {}) {
  const called: string[] = [];
  const actions: MenuActions = {
    openKiosk: () => called.push('kiosk'),
    openInBrowser: () => called.push('browser'),
    openDataFolder: () => called.push('data'),
    showAbout: () => called.push('about'),
  };
  const items = buildMenuTemplate({
    platform: overrides.platform ?? 'linux',
    labels: menuLabelsFor(overrides.locale ?? 'id-ID'),
    developerItems: overrides.developerItems ?? false,
    hasLocalData: overrides.hasLocalData ?? true,
    actions,
  });
  return { items: flatten(items), top: items, called };
}

describe('buildMenuTemplate', () => {
  it('labels menus in Bahasa Indonesia by default and English for en locales', () => {
    expect(template().top.map((item) => item.label)).toEqual(['Berkas', 'Sunting', 'Tampilan', 'Jendela', 'Bantuan']);
    expect(template({ locale: 'en-US' }).top.map((item) => item.label)).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
  });

  it('wires the menu items to the shell actions', () => {
    const { items, called } = template();
    for (const id of ['open-kiosk', 'open-in-browser', 'open-data-folder', 'about']) {
      const item = items.find((entry) => entry.id === id)!;
      (item.click as () => void)();
    }
    expect(called).toEqual(['kiosk', 'browser', 'data', 'about']);
  });

  it('keeps DevTools and reload out of production builds', () => {
    expect(template().items.some((item) => item.role === 'toggleDevTools' || item.role === 'reload')).toBe(false);
    expect(template({ developerItems: true }).items.some((item) => item.role === 'toggleDevTools')).toBe(true);
  });

  it('uses the macOS app menu for quitting on macOS', () => {
    const mac = template({ platform: 'darwin' });
    expect(mac.top[0]!.role).toBe('appMenu');
    expect(mac.items.filter((item) => item.role === 'quit')).toHaveLength(0);
    expect(template().items.filter((item) => item.role === 'quit')).toHaveLength(1);
  });

  it('omits the data folder item when using a remote server', () => {
    expect(template({ hasLocalData: false }).items.some((item) => item.id === 'open-data-folder')).toBe(false);
  });
});
