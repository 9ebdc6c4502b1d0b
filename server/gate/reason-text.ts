import type { RejectionReason } from '../passes/index.ts';

/** Indonesian wording of each rejection, for exports (the kiosk and portal use their i18n files). */
export const REASON_TEXT_ID: Record<RejectionReason, string> = {
  used_up: 'Sudah dipakai',
  expired: 'Kedaluwarsa',
  not_yet_valid: 'Belum berlaku',
  revoked: 'Dicabut',
  other_estate: 'Bukan untuk perumahan ini',
  forged: 'Palsu / diubah',
  unknown_code: 'Kode tidak dikenal',
  throttled: 'Terlalu banyak percobaan',
  already_inside: 'Belum tercatat keluar',
};
