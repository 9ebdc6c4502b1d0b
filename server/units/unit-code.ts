import { parseUnitAddress } from './unit-address.ts';

/**
 * Unit codes are written many ways (`A-12`, `A12`, `A/12`, `A.12`, `Blok A No. 12`); the estate stores one form,
 * `A-12`, and sorts them naturally (A-2 before A-10) through a padded sort key.
 */
export function normalizeUnitCode(input: string): string | null {
  const parsed = parseUnitAddress(input);
  if (parsed) return parsed.code;
  // Codes that are not block + number (`CLUSTER MAWAR`, `FASUM-1A`) are kept, in one spelling.
  const raw = input.trim().toUpperCase().replace(/\s+/g, ' ');
  if (/^[A-Z0-9][A-Z0-9\-/. ]{0,39}$/.test(raw)) return raw.replace(/[/. ]+/g, '-');
  return null;
}

export function blockOf(code: string): string | null {
  const m = /^([A-Z0-9]+)-/.exec(code);
  return m ? m[1] : null;
}

export function unitSortKey(code: string): string {
  return code.replace(/\d+/g, (d) => d.padStart(6, '0'));
}
