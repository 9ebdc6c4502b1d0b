import type { Translation } from '../messages.ts';
import type source from '../id/portal.ts';

export default {
  home_title: 'Resident portal',
  home_greeting: 'Hello, {name}',
  home_body: "See your unit's bills and receipts, send a transfer proof, and register guests before they arrive.",
  tile_bills: 'My bills',
  tile_bills_note: 'Invoices, payments, receipts',
  tile_guests: 'Guests',
  tile_guests_note: 'Guest passes & access codes',
  tile_news: 'Announcements',
  coming_soon: 'Coming soon',
} satisfies Translation<typeof source>;
