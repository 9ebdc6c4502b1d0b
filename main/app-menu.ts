import type { MenuItemConstructorOptions } from 'electron';
import type { MenuLabels } from './menu-labels.ts';

export interface MenuActions {
  openKiosk(): void;
  openInBrowser(): void;
  openDataFolder(): void;
  showAbout(): void;
}

export interface MenuInput {
  platform: NodeJS.Platform;
  labels: MenuLabels;
  /** Reload and DevTools only in development; a treasurer has no use for them and they confuse support calls. */
  developerItems: boolean;
  /** When the shell uses a remote server (--server-url) there is no local data folder to open. */
  hasLocalData: boolean;
  actions: MenuActions;
}

/** The office window's menu. The kiosk window has none. */
export function buildMenuTemplate(input: MenuInput): MenuItemConstructorOptions[] {
  const { labels, actions } = input;
  const isMac = input.platform === 'darwin';
  const fileItems: MenuItemConstructorOptions[] = [
    { id: 'open-kiosk', label: labels.openKiosk, click: () => actions.openKiosk() },
    { id: 'open-in-browser', label: labels.openInBrowser, click: () => actions.openInBrowser() },
  ];
  if (input.hasLocalData) fileItems.push({ id: 'open-data-folder', label: labels.openDataFolder, click: () => actions.openDataFolder() });
  if (!isMac) fileItems.push({ type: 'separator' }, { role: 'quit', label: labels.quit });

  const viewItems: MenuItemConstructorOptions[] = [
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  if (input.developerItems) viewItems.unshift({ role: 'reload' }, { role: 'toggleDevTools' }, { type: 'separator' });

  const template: MenuItemConstructorOptions[] = [];
  if (isMac) template.push({ role: 'appMenu' });
  template.push(
    { label: labels.file, submenu: fileItems },
    { label: labels.edit, role: 'editMenu' },
    { label: labels.view, submenu: viewItems },
    { label: labels.window, role: 'windowMenu' },
    { label: labels.help, role: 'help', submenu: [{ id: 'about', label: labels.about, click: () => actions.showAbout() }] },
  );
  return template;
}
