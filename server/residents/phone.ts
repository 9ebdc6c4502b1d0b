import { parsePhoneNumberFromString } from 'libphonenumber-js';

/**
 * Indonesian numbers arrive as 0812…, 0812-3456-7890, +62 812 …, 62812…, (021) 555-1234. Stored as E.164 (+62…),
 * which is also what wa.me links need. Returns null when the text is not a plausible phone number.
 */
export function normalizePhone(input: string | null | undefined): string | null {
  if (input == null) return null;
  const raw = String(input).trim();
  if (!raw || raw === '-') return null;
  let candidate = raw.replace(/[\s().\-]/g, '');
  if (/^62\d{8,13}$/.test(candidate)) candidate = `+${candidate}`;
  if (/^8\d{8,12}$/.test(candidate)) candidate = `0${candidate}`;
  const parsed = parsePhoneNumberFromString(candidate, 'ID');
  if (!parsed || !parsed.isValid()) return null;
  return parsed.number;
}

/** Digits only, for `https://wa.me/<digits>`. */
export function whatsappDigits(e164: string): string {
  return e164.replace(/\D/g, '');
}
