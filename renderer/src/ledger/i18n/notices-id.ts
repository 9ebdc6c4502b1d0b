// Reconciliation notices for the treasurer (server/ledger/notices.ts).
export default {
  title: 'Pemberitahuan pembukuan',
  hint: 'Hal yang perlu diperiksa bendahara. Tidak ada uang yang hilang: kelebihan sudah menjadi saldo titipan unit.',
  overpayment: 'Unit {unit}: pembayaran {payment} sebesar {amount} menjadi saldo titipan karena tagihan {invoice} sudah lunas.',
  acknowledge: 'Tandai sudah dibaca',
  acknowledged: 'Sudah dibaca',
  raised_at: 'Dicatat {when}',
};
