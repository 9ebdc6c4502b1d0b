/**
 * Unit codes as treasurers write them — `A-12`, `A12`, `A/12`, `A.12`, `Blok A No. 12`, `Jl. Mawar Blok B2 no 5`, or
 * block and number in two columns — normalized to one form, `A-12`, so the same house always gets the same code.
 * Leading zeros are dropped (`A-012` is `A-12`) because sheets mix both for the same house.
 */

export interface UnitAddress {
  code: string;
  block: string | null;
  number: string;
}

const BLOCK_WORD = String.raw`(?:blok|block|blk)`;
const NUMBER_WORD = String.raw`(?:no(?:mor)?|number|nr|#)`;
const HOUSE_NUMBER = String.raw`(\d+[a-z]?)`;
// A block with digits (`B2`) must be followed by a separator; otherwise `A12` would split as block `A1`, house 2.
const BLOCK_NAME = String.raw`([a-z]{1,3}\d{0,2}(?=\s*[-/.,\s])|\d{1,2}(?=\s*[-/.,\s])|[a-z]{1,3})`;

const BLOCK_THEN_NUMBER = new RegExp(
  String.raw`${BLOCK_WORD}\s*\.?\s*${BLOCK_NAME}\s*(?:[-/.,]\s*)?(?:${NUMBER_WORD}\s*\.?\s*)?[-:]?\s*${HOUSE_NUMBER}(?![0-9])`,
  'i',
);
const LETTERS_THEN_NUMBER = new RegExp(String.raw`^([a-z]{1,3})\s*[-/.\s]?\s*(?:${NUMBER_WORD}\s*\.?\s*)?${HOUSE_NUMBER}$`, 'i');
const SEPARATED = new RegExp(String.raw`^([a-z0-9]{1,6})\s*[-/.]\s*(?:${NUMBER_WORD}\s*\.?\s*)?${HOUSE_NUMBER}$`, 'i');
const NUMBER_ONLY = new RegExp(String.raw`^(?:(?:kav(?:ling)?|${NUMBER_WORD})\s*\.?\s*)?${HOUSE_NUMBER}$`, 'i');

/** Parses a one-column address. Returns null when no house number can be found in it. */
export function parseUnitAddress(text: string): UnitAddress | null {
  const value = text.trim().replace(/\s+/g, ' ');
  if (value === '') return null;
  const withBlockWord = value.match(BLOCK_THEN_NUMBER);
  if (withBlockWord) return unitAddressFrom(withBlockWord[1], withBlockWord[2]);
  // Before the letters+number form, so `Kav. 30` and `No 12` are not read as blocks `KAV` and `NO`.
  const numberOnly = value.match(NUMBER_ONLY);
  if (numberOnly) return unitAddressFrom(null, numberOnly[1]);
  const match = value.match(LETTERS_THEN_NUMBER) ?? value.match(SEPARATED);
  return match ? unitAddressFrom(match[1], match[2]) : null;
}

/** Combines a block column and a number column (either may carry its own `Blok` / `No.` words). */
export function unitAddressFromParts(blockText: string, numberText: string): UnitAddress | null {
  const number = normalizeHouseNumber(numberText);
  if (number === null) {
    // Some sheets put the whole address in the number column ("A-12") next to a block column.
    const whole = parseUnitAddress(numberText);
    return whole && whole.block ? whole : null;
  }
  const block = normalizeBlock(blockText);
  return unitAddressFrom(block, number);
}

export function normalizeBlock(text: string): string | null {
  const value = text
    .trim()
    .replace(new RegExp(`^${BLOCK_WORD}\\s*\\.?\\s*`, 'i'), '')
    .replace(/\s+/g, '');
  if (value === '' || value === '-') return null;
  return value.toUpperCase();
}

export function normalizeHouseNumber(text: string): string | null {
  const value = text.trim().replace(new RegExp(`^${NUMBER_WORD}\\s*\\.?\\s*`, 'i'), '');
  const match = value.match(/^(\d+)(?:\.0+)?\s*([a-z]?)$/i);
  if (!match) return null;
  return String(Number.parseInt(match[1], 10)) + match[2].toUpperCase();
}

function unitAddressFrom(blockText: string | null, numberText: string): UnitAddress | null {
  const number = normalizeHouseNumber(numberText.replace(/\s+/g, ''));
  if (number === null) return null;
  const block = blockText === null ? null : normalizeBlock(blockText);
  return { code: block ? `${block}-${number}` : number, block, number };
}
