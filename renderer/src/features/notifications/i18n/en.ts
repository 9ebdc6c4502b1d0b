import type { Translation } from '../../../i18n/messages.ts';
import type source from './id.ts';

export default {
  bell: 'Notifications',
  bell_unread: 'Notifications, {count} unread',
  title: 'Notifications',
  nav: 'Notifications',
  empty: 'No notifications yet.',
  mark_all: 'Mark all read',
  mark_read: 'Mark read',
  open: 'Open',
  unread: 'New',
  kind_walk_in: 'A walk-in guest arrived at the gate: {name}',
  kind_guest_arrived: 'Your guest arrived at the gate: {name}',
  kind_announcement: 'Announcement: {name}',
  push_title: 'Notifications on this device',
  push_on_hint:
    'On: payments, rejected transfer proofs, announcements and guests at the gate show as notifications, even when the portal is closed.',
  push_off_hint: 'Turn on to get notifications on this phone. Add the portal to your home screen to open it like an app.',
  push_denied: 'Notifications are blocked in this browser. Allow notifications for this site in the browser settings, then try again.',
  push_unsupported: 'This browser does not support push notifications. On an iPhone, add the portal to the home screen first.',
} satisfies Translation<typeof source>;
