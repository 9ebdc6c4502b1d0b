/**
 * Unit codes are written many ways (`A-12`, `A12`, `A/12`, `A.12`, `Blok A No. 12`); the estate stores one form,
 * `A-12`, and sorts them naturally (A-2 before A-10) through a padded sort key.
 */
export function normalizeUnitCode(input: string): string | null {
  const raw = input.trim().toUpperCase().replace(/\s+/g, ' ');
  if (!raw) return null;
  const blokNo = /^(?:BLOK|BLK|BLOCK)\.?\s*([A-Z0-9]+)\s*[,/\-]?\s*(?:NO|NOMOR|NOMER|NO\.|#)?\.?\s*([0-9]+[A-Z]?)$/.exec(raw);
  if (blokNo) return `${blokNo[1]}-${blokNo[2]}`;
  const split = /^([A-Z]{1,3}\d?)\s*[-/. ]?\s*(\d+[A-Z]?)$/.exec(raw);
  if (split) return `${split[1]}-${split[2]}`;
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
