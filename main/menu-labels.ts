/** Menu text, Bahasa Indonesia first (the estate office default), English when the OS locale asks for it. */
const labels = {
  id: {
    file: 'Berkas',
    openKiosk: 'Buka Jendela Pos Satpam',
    openInBrowser: 'Buka di Peramban',
    openDataFolder: 'Buka Folder Data',
    quit: 'Keluar',
    edit: 'Sunting',
    view: 'Tampilan',
    window: 'Jendela',
    help: 'Bantuan',
    about: 'Tentang Klustera',
  },
  en: {
    file: 'File',
    openKiosk: 'Open Guard Post Window',
    openInBrowser: 'Open in Browser',
    openDataFolder: 'Open Data Folder',
    quit: 'Quit',
    edit: 'Edit',
    view: 'View',
    window: 'Window',
    help: 'Help',
    about: 'About Klustera',
  },
} as const;

export type MenuLabels = { [K in keyof (typeof labels)['id']]: string };

export function menuLabelsFor(locale: string): MenuLabels {
  return locale.toLowerCase().startsWith('en') ? labels.en : labels.id;
}
