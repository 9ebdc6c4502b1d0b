export default {
  bell: 'Pemberitahuan',
  bell_unread: 'Pemberitahuan, {count} belum dibaca',
  title: 'Pemberitahuan',
  nav: 'Pemberitahuan',
  empty: 'Belum ada pemberitahuan.',
  mark_all: 'Tandai semua dibaca',
  mark_read: 'Tandai dibaca',
  open: 'Buka',
  unread: 'Baru',
  kind_walk_in: 'Tamu tanpa janji tiba di gerbang: {name}',
  kind_guest_arrived: 'Tamu Anda tiba di gerbang: {name}',
  kind_announcement: 'Pengumuman: {name}',
};
