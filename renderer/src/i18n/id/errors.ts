/**
 * Keyed by the server's stable error `code`; UNKNOWN covers codes this version does not know yet. A feature's own
 * codes may instead live in its dictionary as `error_<CODE>` (see lookupError in ../messages.ts).
 */
export default {
  UNKNOWN: 'Terjadi kesalahan. Coba lagi.',
  NETWORK_ERROR: 'Tidak dapat menghubungi server. Periksa jaringan.',
  BAD_RESPONSE: 'Jawaban server tidak dapat dibaca.',
  VALIDATION_FAILED: 'Isian tidak valid.',
  INVALID_JSON: 'Permintaan tidak valid.',
  UNAUTHENTICATED: 'Silakan masuk terlebih dahulu.',
  INVALID_CREDENTIALS: 'Email/nomor HP atau kata sandi salah.',
  FORBIDDEN: 'Anda tidak memiliki izin untuk tindakan ini.',
  CSRF_FAILED: 'Sesi kedaluwarsa. Muat ulang halaman lalu coba lagi.',
  NOT_FOUND: 'Data tidak ditemukan.',
  CONFLICT: 'Data ini sudah diubah atau bertentangan dengan data lain.',
  DUPLICATE: 'Sudah ada data dengan nilai yang sama.',
  SETUP_ALREADY_DONE: 'Klustera sudah disiapkan. Silakan masuk.',
  PAYLOAD_TOO_LARGE: 'Berkas terlalu besar.',
  RATE_LIMITED: 'Terlalu banyak percobaan. Tunggu sebentar lalu coba lagi.',
  ACCOUNT_LOCKED: 'Akun dikunci sementara karena terlalu banyak percobaan gagal. Coba lagi nanti.',
  INVITE_INVALID: 'Undangan tidak berlaku atau sudah dipakai.',
  UNSUPPORTED_FILE: 'Jenis berkas tidak didukung. Gunakan .xlsx atau .csv.',
  PASSWORD_MISMATCH: 'Kedua kata sandi tidak sama.',
  ROLE_NOT_ALLOWED: 'Peran ini tidak boleh Anda berikan.',
  INVITE_USED: 'Undangan ini sudah dipakai.',
  INVALID_MAPPING: 'Pencocokan kolom tidak valid.',
  EMPTY_FILE: 'Berkas kosong atau tidak berisi tabel data.',
  UNREADABLE_FILE: 'Berkas tidak dapat dibaca. Simpan ulang sebagai .xlsx atau .csv.',
  TOO_MANY_ROWS: 'Berkas berisi terlalu banyak baris.',
  UNSUPPORTED_ENCODING: 'Pengodean teks berkas CSV tidak didukung. Simpan sebagai UTF-8.',
  INVALID_UPLOAD: 'Unggahan tidak valid.',
};
