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
} satisfies Translation<typeof source>;
