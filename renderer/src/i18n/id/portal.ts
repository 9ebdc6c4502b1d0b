export default {
  home_title: 'Portal Warga',
  home_greeting: 'Halo, {name}',
  home_body: 'Di sini nanti warga dapat melihat dan membayar tagihan, mendaftarkan tamu, membaca pengumuman, dan mengajukan keluhan.',
  coming_bills: 'Tagihan saya',
  coming_guests: 'Tamu',
  coming_news: 'Pengumuman',
  coming_soon: 'Segera hadir',
};
