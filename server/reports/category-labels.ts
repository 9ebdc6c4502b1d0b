/**
 * Indonesian names of cash-book categories as they appear in the monthly report. Unknown codes (an estate's own
 * categories) are shown as written, with underscores as spaces.
 */
const LABELS: Record<string, string> = {
  iuran: 'Iuran warga',
  donation: 'Donasi',
  facility_rental: 'Sewa fasilitas',
  fine: 'Denda',
  other_income: 'Penerimaan lain',
  guard_salary: 'Gaji satpam',
  cleaner_salary: 'Gaji petugas kebersihan',
  electricity: 'Listrik',
  water: 'Air',
  repairs: 'Perbaikan',
  rw_share: 'Setoran RW',
  social: 'Sosial',
  event: 'Kegiatan',
  office: 'Administrasi',
  credit_refund: 'Pengembalian saldo titipan',
  other_expense: 'Pengeluaran lain',
  opening_balance: 'Saldo awal',
  transfer: 'Pindah buku',
  reversal: 'Koreksi (pembalikan)',
};

export function categoryLabel(code: string): string {
  return LABELS[code] ?? code.replace(/_/g, ' ');
}
