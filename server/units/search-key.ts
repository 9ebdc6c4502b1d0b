import { normalizeUnitCode } from './unit-code.ts';

/**
 * Search keys are what a guard with gloves or a hurried treasurer types, reduced to lowercase letters and digits:
 * `A-12`, `a12`, `A/012` and `a 12` all become `a12`. Keys hold only [0-9a-z] so a prefix is a plain range
 * (`key >= 'a12' and key < 'a13'`) that every database answers from an index, whatever its collation; `LIKE 'a12%'`
 * would scan on PostgreSQL without a C collation and on SQLite with its case-insensitive LIKE.
 */
export function searchKey(text: string): string {
  return (
    text
      .normalize('NFD')
      .replace(/\p{M}+/gu, '')
      .toLowerCase()
      .replace(/[^0-9a-z]+/g, '')
      // Sheets mix `A-012` and `A-12` for one house.
      .replace(/(^|[a-z])0+(?=\d)/g, '$1')
  );
}

/**
 * Keys of a stored (already normalised) code: the whole code, and its house number alone so that `12` finds A-12,
 * B-12 and C-12. The migration that added these columns backfilled them with the same rule; keep the two in step.
 */
export function unitSearchKeys(code: string): { search_key: string; number_key: string } {
  const number = /-(\d+[A-Za-z]?)$/.exec(code);
  return { search_key: searchKey(code), number_key: searchKey(number ? number[1] : code) };
}

/**
 * Keys of a resident's name: from its first word and from its second, so "Budi", "Santoso" and "budi san" find
 * Budi Santoso. Words after the second are reached through the second key only (`santosowij`).
 */
export function residentNameKeys(name: string): { name_key: string; name_key2: string | null } {
  const words = nameWords(name);
  return { name_key: words.join('').slice(0, 200), name_key2: words.length > 1 ? words.slice(1).join('').slice(0, 200) : null };
}

/** A name's words without case or accents, as search keys: `Ñoman Āyu` → `noman`, `ayu`. */
export function nameWords(name: string): string[] {
  return name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .split(/[^0-9a-z]+/)
    .filter(Boolean);
}

/** What the typed text means as a unit code (`Blok A No. 12` → `a12`), or as plain key when it is no code. */
export function querySearchKey(typed: string): string {
  const code = normalizeUnitCode(typed);
  return searchKey(code ?? typed);
}

/**
 * What the typed text means as the start of an Indonesian mobile or landline number, in the E.164 form residents'
 * phones are stored in (`0811-23` → `+6281123`), or null when it is no phone: letters in it, fewer than four digits,
 * or not starting with 0, 62 or +62 (a bare `12` is a house number).
 */
export function phoneSearchPrefix(typed: string): string | null {
  if (/[\p{L}]/u.test(typed)) return null;
  const digits = typed.replace(/\D/g, '');
  if (digits.length < 4) return null;
  if (digits.startsWith('0')) return `+62${digits.slice(1)}`;
  if (digits.startsWith('62')) return `+${digits}`;
  return null;
}

const ALPHABET = '0123456789abcdefghijklmnopqrstuvwxyz';

/** The smallest key above every key starting with `prefix`, or null when there is none (`zzz`). */
export function prefixUpperBound(prefix: string): string | null {
  let p = prefix;
  while (p.length > 0) {
    const i = ALPHABET.indexOf(p[p.length - 1]);
    if (i >= 0 && i < ALPHABET.length - 1) return p.slice(0, -1) + ALPHABET[i + 1];
    p = p.slice(0, -1);
  }
  return null;
}
