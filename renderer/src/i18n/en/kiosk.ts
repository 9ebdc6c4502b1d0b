import type { Translation } from '../messages.ts';
import type source from '../id/kiosk.ts';

export default {
  home_title: 'Guard post',
  home_body: 'Guard post screen: scan residents’ and guests’ QR passes here.',
  home_waiting: 'Ready to scan',
  home_note: 'Scans, guest registration and the guest book will appear on this screen.',
} satisfies Translation<typeof source>;
