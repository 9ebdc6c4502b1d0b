// The installation's settings: the address phones open.
export default {
  nav: 'Pengaturan',
  title: 'Pengaturan',
  subtitle: 'Berlaku untuk server Klustera ini',
  public_url_title: 'Alamat untuk HP dan tablet',
  public_url_intro:
    'Tautan undangan, pesan WhatsApp, QR kuitansi dan pemasangan kios memakai alamat ini. Buka alamat ini di HP yang tersambung ke Wi-Fi perumahan untuk memastikan bisa dibuka.',
  public_url_current: 'Alamat yang dipakai sekarang:',
  public_url_label: 'Alamat publik',
  public_url_hint: 'Hanya http:// atau https://, nama host atau IP dan port. Kosongkan untuk memakai {example}.',
  source_startup: 'ditetapkan saat server dijalankan',
  source_setting: 'disimpan di sini',
  source_lan: 'alamat komputer ini di jaringan lokal',
  source_local: 'hanya komputer ini; HP tidak dapat membukanya',
  use_default: 'Pakai alamat otomatis',
  saved: 'Alamat disimpan. Tautan dan QR baru memakai alamat ini.',
  fixed_at_startup: 'Alamat ini ditetapkan saat server dijalankan (--public-url atau KLUSTERA_PUBLIC_URL) dan tidak dapat diubah di sini.',
  admin_only: 'Hanya administrator server yang dapat mengubah alamat ini.',
  error_PUBLIC_URL_INVALID: 'Alamat tidak valid. Contoh: http://192.168.1.10:4780 atau https://klustera.contoh.id',
  error_PUBLIC_URL_SET_AT_STARTUP: 'Alamat ditetapkan saat server dijalankan dan tidak dapat diubah di sini.',
};
