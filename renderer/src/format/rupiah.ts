/**
 * Money arrives as integer rupiah and is formatted only here, at the edge: `Rp 1.250.000` in Indonesian and
 * `Rp 1,250,000` in English, the symbol kept in front in both (English Intl would write "IDR"). The language is set by
 * the I18nProvider whenever the reader switches it, the way the API client learns it, so every amount on a page
 * follows the menu language without each call passing it.
 */
type MoneyLanguage = 'id' | 'en';

const grouping: Record<MoneyLanguage, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', { maximumFractionDigits: 0 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 }),
};
const plain: Record<MoneyLanguage, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', { maximumFractionDigits: 2 }),
  en: new Intl.NumberFormat('en-GB', { maximumFractionDigits: 2 }),
};

const percent: Record<MoneyLanguage, Intl.NumberFormat> = {
  id: new Intl.NumberFormat('id-ID', { style: 'percent', maximumFractionDigits: 1 }),
  en: new Intl.NumberFormat('en-GB', { style: 'percent', maximumFractionDigits: 1 }),
};

let current: MoneyLanguage = 'id';

export function setMoneyLanguage(language: string): void {
  current = language.toLowerCase().startsWith('en') ? 'en' : 'id';
}

/** "Rp 1.250.000" / "Rp 1,250,000"; a no-break space keeps the symbol with the amount; below zero "-Rp 20.000". */
export function formatRupiah(amount: number, language: MoneyLanguage = current): string {
  return `${amount < 0 ? '-' : ''}Rp\u00a0${grouping[language].format(Math.abs(amount))}`;
}

export function formatNumber(value: number, language: MoneyLanguage = current): string {
  return plain[language].format(value);
}

/** A share such as a collection rate: "85,5%" / "85.5%". */
export function formatRate(rate: number, language: MoneyLanguage = current): string {
  return percent[language].format(rate);
}
