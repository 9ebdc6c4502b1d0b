/**
 * The cash-book categories every estate has, with the names people read: Indonesian (reports, the default screen)
 * and English. Entries store the code; the names live here once so the screen and the printed reports agree.
 * An estate's own categories (added by name) are rows of `cashbook_categories` and are shown as typed.
 */
export interface BuiltInCategory {
  code: string;
  direction: 'in' | 'out' | 'system';
  id: string;
  en: string;
}

export const BUILT_IN_CATEGORIES: readonly BuiltInCategory[] = [
  { code: 'iuran', direction: 'in', id: 'Iuran warga', en: 'Residents’ dues' },
  { code: 'donation', direction: 'in', id: 'Donasi', en: 'Donation' },
  { code: 'facility_rental', direction: 'in', id: 'Sewa fasilitas', en: 'Facility rental' },
  { code: 'fine', direction: 'in', id: 'Denda', en: 'Fine' },
  { code: 'other_income', direction: 'in', id: 'Penerimaan lain', en: 'Other income' },
  { code: 'guard_salary', direction: 'out', id: 'Gaji satpam', en: 'Security guard salary' },
  { code: 'cleaner_salary', direction: 'out', id: 'Gaji petugas kebersihan', en: 'Cleaner salary' },
  { code: 'electricity', direction: 'out', id: 'Listrik', en: 'Electricity' },
  { code: 'water', direction: 'out', id: 'Air', en: 'Water' },
  { code: 'repairs', direction: 'out', id: 'Perbaikan', en: 'Repairs' },
  { code: 'rw_share', direction: 'out', id: 'Setoran RW', en: 'Contribution to the RW' },
  { code: 'social', direction: 'out', id: 'Sosial', en: 'Social' },
  { code: 'event', direction: 'out', id: 'Kegiatan', en: 'Events' },
  { code: 'office', direction: 'out', id: 'Administrasi', en: 'Administration' },
  { code: 'credit_refund', direction: 'out', id: 'Pengembalian saldo titipan', en: 'Credit refund' },
  { code: 'gateway_fee', direction: 'out', id: 'Biaya payment gateway', en: 'Payment gateway fee' },
  { code: 'other_expense', direction: 'out', id: 'Pengeluaran lain', en: 'Other expense' },
  { code: 'opening_balance', direction: 'system', id: 'Saldo awal', en: 'Opening balance' },
  { code: 'transfer', direction: 'system', id: 'Pindah buku', en: 'Transfer between accounts' },
  { code: 'reversal', direction: 'system', id: 'Koreksi (pembalikan)', en: 'Correction (reversal)' },
];

const BY_CODE = new Map(BUILT_IN_CATEGORIES.map((c) => [c.code, c]));

export function builtInCategory(code: string): BuiltInCategory | undefined {
  return BY_CODE.get(code);
}

/**
 * A category's readable name: the built-in name in the language asked for, an estate category's name as typed
 * (`own`), and for a code nobody named (entries from before categories had names) the code with spaces.
 */
export function categoryName(code: string, lang: 'id' | 'en', own?: ReadonlyMap<string, string>): string {
  const builtIn = BY_CODE.get(code);
  if (builtIn) return builtIn[lang];
  return own?.get(code) ?? code.replace(/_/g, ' ');
}
