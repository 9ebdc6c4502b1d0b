// Reconciliation notices for the treasurer (server/ledger/notices.ts).
export default {
  title: 'Pemberitahuan pembukuan',
  hint: 'Hal yang perlu diperiksa bendahara. Tidak ada uang yang hilang: setiap pembayaran sudah tercatat, kelebihan menjadi saldo titipan unit.',
  overpayment: 'Unit {unit}: pembayaran {payment} sebesar {amount} menjadi saldo titipan karena tagihan {invoice} sudah lunas.',
  amount_mismatch_over:
    'Unit {unit}: pembayaran online {payment} masuk {paid}, padahal tagihannya {expected}. Kelebihan {difference} menjadi saldo titipan unit.',
  amount_mismatch_under:
    'Unit {unit}: pembayaran online {payment} masuk {paid}, padahal tagihannya {expected}. Kekurangan {difference} masih terutang.',
  acknowledge: 'Tandai sudah dibaca',
  acknowledged: 'Sudah dibaca',
  raised_at: 'Dicatat {when}',
};
