/**
 * A stored phone number (E.164, +62…) as Indonesians write it: mobile numbers in groups of four from the leading 0
 * (+628112345678 → 0811-2345-678), other numbers as the national number with its 0. Anything else is shown as stored.
 */
export function displayPhone(stored: string | null | undefined): string {
  if (!stored) return '';
  const m = /^\+62(\d{6,13})$/.exec(stored);
  if (!m) return stored;
  const national = `0${m[1]}`;
  if (!national.startsWith('08')) return national;
  return [national.slice(0, 4), national.slice(4, 8), national.slice(8)].filter(Boolean).join('-');
}
