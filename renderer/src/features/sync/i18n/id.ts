// Sync of this office computer with the hosted instance (server awan).
export default {
  nav: 'Sinkronisasi',
  title: 'Sinkronisasi',
  subtitle: 'Komputer kantor dan server awan memegang buku yang sama',
  link_title: 'Tautkan ke server awan',
  link_intro:
    'Minta kode tautan kepada pengelola server awan. Kode berlaku 15 menit dan hanya sekali pakai. Setelah tertaut, perubahan dikirim dan diterima otomatis setiap menit selama internet tersedia.',
  cloud_url: 'Alamat server awan',
  cloud_url_hint: 'Contoh: https://awan.klustera.id',
  code: 'Kode tautan',
  code_hint: '12 huruf dan angka, contoh: ABCD-EFGH-JKLM',
  link: 'Tautkan',
  linked_title: 'Tertaut ke server awan',
  linked_to: 'Server awan:',
  last_sync: 'Sinkronisasi terakhir',
  never: 'Belum pernah',
  waiting: 'Perubahan menunggu dikirim',
  waiting_none: 'Tidak ada, semua sudah terkirim',
  last_error: 'Masalah terakhir',
  sync_now: 'Sinkronkan sekarang',
  syncing: 'Menyinkronkan…',
  progress: 'Mengunggah {sent} dari {total} perubahan',
  progress_label: 'Kemajuan unggahan',
  synced: 'Selesai: {pushed} perubahan dikirim, {pulled} diterima.',
  clock_warning:
    'Jam komputer ini berbeda sekitar {minutes} menit dengan server awan. Sinkronisasi tetap berjalan, tetapi cocokkan jam komputer.',
  clock_far_off:
    'Jam komputer ini berbeda sekitar {days} hari dengan server awan. Urutan perubahan antara komputer ini dan server awan bisa keliru; cocokkan jam komputer sekarang.',
  unlink: 'Putuskan tautan',
  unlink_title: 'Putuskan tautan dengan server awan?',
  unlink_text:
    'Komputer ini berhenti mengirim dan menerima perubahan. Data di komputer ini dan di server awan tetap ada. Untuk menautkan lagi perlu kode tautan baru.',
  unlinked: 'Tautan diputus.',
  admin_only: 'Komputer ini belum tertaut ke server awan. Hanya admin perumahan yang dapat menautkannya.',
  linked_notice: 'Tertaut. Sinkronisasi pertama berjalan sekarang.',
  error_SYNC_CODE_INVALID: 'Kode tautan salah, kedaluwarsa, atau sudah dipakai. Minta kode baru kepada pengelola server awan.',
  error_SYNC_CLOUD_UNREACHABLE: 'Server awan tidak dapat dihubungi. Periksa internet dan alamatnya; sinkronisasi dicoba lagi nanti.',
  error_SYNC_ANSWER_UNREADABLE: 'Alamat ini bukan server awan Klustera. Periksa alamat server awan.',
  error_SYNC_UPGRADE_REQUIRED:
    'Aplikasi Klustera di komputer ini lebih lama dari server awan. Perbarui aplikasi; perubahan tetap tersimpan dan dikirim setelah pembaruan.',
  error_SYNC_CLOUD_OUTDATED: 'Server awan memakai versi Klustera yang lebih lama. Sinkronisasi menunggu server awan diperbarui.',
  error_SYNC_URL_INVALID: 'Alamat server awan tidak sah. Awali dengan https:// atau http://.',
  error_SYNC_ALREADY_LINKED: 'Perumahan ini sudah tertaut ke server awan. Putuskan tautan dulu.',
  error_SYNC_ESTATE_EXISTS: 'Perumahan ini sudah ada di server awan. Hubungi pengelola server awan.',
  error_SYNC_CREDENTIAL_INVALID:
    'Tautan tidak berlaku lagi (dicabut di server awan). Putuskan tautan, lalu tautkan ulang dengan kode baru.',
  error_SYNC_BATCH_REJECTED: 'Server awan menolak sebagian perubahan. Perubahan tetap tersimpan di sini; hubungi pengelola.',
  error_SYNC_BATCH_TOO_LARGE:
    'Kiriman ke server awan terlalu besar. Perbarui aplikasi Klustera di komputer ini; perubahan tetap tersimpan di sini.',
  error_SYNC_FAILED: 'Sinkronisasi gagal. Dicoba lagi nanti.',
  set_aside_title: 'Perubahan akun yang tidak dikirim ke server awan',
  set_aside_item:
    '{name}: perubahan e-mail, nomor HP atau kata sandi tidak dikirim, karena akun ini juga dipakai di perumahan lain di server awan. Hanya pemiliknya yang dapat mengubahnya di sana; di komputer ini perubahan tetap berlaku. Sinkronisasi lainnya berjalan seperti biasa.',
  set_aside_unknown: 'Akun yang sudah dihapus',
  set_aside_handle: 'Sudah ditangani',
  set_aside_handle_title: 'Tandai sudah ditangani?',
  set_aside_handle_text:
    'Lakukan ini setelah akun {name} dibereskan, misalnya pemiliknya masuk dengan akun server awannya. Perubahan ini hilang dari daftar; catatannya tetap tersimpan di log audit.',
  set_aside_handled: 'Perubahan akun ditandai sudah ditangani.',
  error_SYNC_SET_ASIDE_HANDLED: 'Perubahan akun ini sudah ditandai selesai ditangani.',
};
