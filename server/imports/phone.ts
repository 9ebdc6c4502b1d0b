import { parsePhoneNumberFromString } from 'libphonenumber-js';

export type PhoneResult = { ok: true; phone: string | null } | { ok: false; message: string };

const EMPTY_MARKERS = new Set(['', '-', '--', '—', '–', '0', 'tidak ada', 'tdk ada', 'n/a', 'na', 'null', '.']);

/**
 * Indonesian phone numbers as typed into a sheet — `0812…`, `0812-3456-7890`, `+62 812 …`, `62812…`, or `812…`
 * when Excel stored the number as a number and dropped the leading zero — to E.164 (`+62812…`). A cell holding two
 * numbers (`0812… / 0813…`) keeps the first. `-` and the like mean "no number".
 */
export function normalizePhone(text: string): PhoneResult {
  const raw = text.trim();
  if (EMPTY_MARKERS.has(raw.toLowerCase())) return { ok: true, phone: null };
  const first = raw.split(/\s*(?:[/,;|]|\bdan\b|\batau\b|\bor\b)\s*/i).find((part) => part.trim() !== '') ?? raw;
  let candidate = first.replace(/(?!^\+)[^\d]/g, '');
  if (/^62\d{8,}$/.test(candidate)) candidate = `+${candidate}`;
  else if (/^8\d{7,}$/.test(candidate)) candidate = `0${candidate}`;
  const parsed = candidate.length >= 6 ? parsePhoneNumberFromString(candidate, 'ID') : undefined;
  if (!parsed || !parsed.isValid()) return { ok: false, message: `"${raw}" bukan nomor telepon yang sah.` };
  return { ok: true, phone: parsed.number };
}
