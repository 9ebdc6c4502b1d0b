import type { Translation } from '../messages.ts';
import type source from '../id/nav.ts';

export default {
  section_data: 'Residents data',
  section_finance: 'Finance',
  section_admin: 'Settings',
  units: 'Units',
  residents: 'Residents',
  users: 'Users & invites',
  import: 'Import data',
  open_menu: 'Open menu',
  face_office: 'Office',
  face_portal: 'Resident portal',
  face_kiosk: 'Guard post',
} satisfies Translation<typeof source>;
