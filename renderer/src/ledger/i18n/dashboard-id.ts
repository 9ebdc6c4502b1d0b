// The treasurer's dashboard: the chart of money billed, collected and spent, and the first steps of a new estate.
export default {
  chart_title: 'Tagihan, pemasukan, dan pengeluaran — 12 bulan',
  chart_hint: 'Ketuk atau arahkan ke batang untuk melihat nilainya.',
  spending: 'Pengeluaran',
  this_month_cash: 'Kas bulan ini',
  cash_in_out: 'Masuk {income} · keluar {spending}',
  bar_value: '{month} · {series}: {amount}',
  start_title: 'Mulai di sini',
  start_body: 'Perumahan ini belum punya unit atau tagihan. Tiga langkah menuju tagihan pertama:',
  step_units: 'Impor unit dan warga',
  step_units_body: 'Unggah lembar Excel berisi unit dan penghuninya, atau tambahkan satu per satu.',
  step_fees: 'Atur jenis iuran',
  step_fees_body: 'Iuran bulanan (IPL, keamanan, kebersihan) beserta tarifnya.',
  step_billing: 'Buat tagihan pertama',
  step_billing_body: 'Jalankan penagihan bulan ini untuk semua unit.',
  step_done: 'Selesai',
  step_open: 'Buka',
};
