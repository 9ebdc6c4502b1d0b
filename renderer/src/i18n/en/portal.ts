import type { Translation } from '../messages.ts';
import type source from '../id/portal.ts';

export default {
  home_title: 'Resident portal',
  home_greeting: 'Hello, {name}',
  home_body: 'This is where residents will see and pay bills, register guests, read announcements and file complaints.',
  coming_bills: 'My bills',
  coming_guests: 'Guests',
  coming_news: 'Announcements',
  coming_soon: 'Coming soon',
} satisfies Translation<typeof source>;
