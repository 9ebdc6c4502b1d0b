export default {
  home_title: 'Portal Warga',
  home_greeting: 'Halo, {name}',
  home_body: 'Lihat tagihan dan kuitansi unit Anda, kirim bukti transfer, dan daftarkan tamu sebelum mereka datang.',
  tile_bills: 'Tagihan saya',
  tile_bills_note: 'Tagihan, pembayaran, kuitansi',
  tile_guests: 'Tamu',
  tile_guests_note: 'Kartu tamu & kode akses',
  tile_news: 'Pengumuman',
  coming_soon: 'Segera hadir',
};
