/**
 * Money arrives as integer rupiah and is formatted only here, at the edge. Always id-ID, also in the English UI:
 * `Rp 150.000` is how every resident reads an amount, whatever the menu language.
 */
const rupiah = new Intl.NumberFormat('id-ID', { style: 'currency', currency: 'IDR', maximumFractionDigits: 0 });
const plain = new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 });

export function formatRupiah(amount: number): string {
  return rupiah.format(amount);
}

export function formatNumber(value: number): string {
  return plain.format(value);
}
