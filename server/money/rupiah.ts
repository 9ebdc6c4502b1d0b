/**
 * Integer rupiah. IDR has no sen in practice, so every amount in Klustera is a safe integer number of rupiah; this
 * module is the one place that constructs, combines, rounds and formats them. The brand makes the compiler refuse a
 * plain `number` (say, a float from a division) where an amount is expected.
 */

declare const rupiahBrand: unique symbol;
export type Rupiah = number & { readonly [rupiahBrand]: 'Rupiah' };

/** Thrown when a value cannot be an amount of rupiah; callers at the HTTP edge map it to a 400. */
export class RupiahError extends RangeError {
  readonly code = 'INVALID_AMOUNT';
  constructor(message: string) {
    super(message);
    this.name = 'RupiahError';
  }
}

export const ZERO_RUPIAH = 0 as Rupiah;

/** An amount from a number that must already be a safe integer (no implicit rounding of money). */
export function rupiah(value: number): Rupiah {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) {
    throw new RupiahError(`not a whole number of rupiah: ${String(value)}`);
  }
  // -0 would print as "-Rp 0" and compare oddly in JSON round trips.
  return (value === 0 ? 0 : value) as Rupiah;
}

export function isRupiah(value: unknown): value is Rupiah {
  return typeof value === 'number' && Number.isSafeInteger(value);
}

/**
 * An amount from untrusted input: a safe integer, or a string of digits as spreadsheets and forms send them
 * ("150000", "150.000" and "Rp 150.000" in the id-ID style). Decimal fractions are rejected, not rounded.
 */
export function parseRupiah(value: unknown): Rupiah {
  if (typeof value === 'number') return rupiah(value);
  if (typeof value !== 'string') throw new RupiahError('amount must be a number or a string of digits');
  const compact = value.trim().replace(/^rp\.?\s*/i, '');
  const negative = compact.startsWith('-');
  const body = negative ? compact.slice(1) : compact;
  // Thousands separators only in groups of three, so "1.5" (a decimal) is never read as 15.
  if (!/^(\d{1,3}(\.\d{3})+|\d+)$/.test(body)) throw new RupiahError(`not a whole number of rupiah: ${value}`);
  const digits = body.replace(/\./g, '');
  const n = Number(digits);
  return rupiah(negative ? -n : n);
}

export function addRupiah(...amounts: Rupiah[]): Rupiah {
  let total = 0;
  for (const a of amounts) total += a;
  return rupiah(total);
}

export function sumRupiah(amounts: Iterable<Rupiah>): Rupiah {
  let total = 0;
  for (const a of amounts) {
    total += a;
    if (!Number.isSafeInteger(total)) throw new RupiahError('sum exceeds the safe integer range');
  }
  return rupiah(total);
}

export function subRupiah(a: Rupiah, b: Rupiah): Rupiah {
  return rupiah(a - b);
}

export function minRupiah(a: Rupiah, b: Rupiah): Rupiah {
  return (a < b ? a : b) as Rupiah;
}

export function maxRupiah(a: Rupiah, b: Rupiah): Rupiah {
  return (a > b ? a : b) as Rupiah;
}

export function negateRupiah(a: Rupiah): Rupiah {
  return rupiah(-a);
}

/** How a fractional result becomes whole rupiah; always stated by the caller, never implied. */
export type Rounding = 'half_up' | 'half_even' | 'down' | 'up';

/** Integer division of bigints with the stated rounding; `half_up` rounds halves away from zero. */
function divideRounded(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new RupiahError('division by zero');
  if (denominator < 0n) {
    numerator = -numerator;
    denominator = -denominator;
  }
  const quotient = numerator / denominator; // truncates toward zero
  const remainder = numerator % denominator;
  if (remainder === 0n) return quotient;
  const sign = numerator < 0n ? -1n : 1n;
  const twice = 2n * (remainder < 0n ? -remainder : remainder);
  switch (rounding) {
    case 'down':
      return numerator < 0n ? quotient - 1n : quotient; // floor
    case 'up':
      return numerator < 0n ? quotient : quotient + 1n; // ceiling
    case 'half_up':
      return twice >= denominator ? quotient + sign : quotient;
    case 'half_even':
      if (twice > denominator) return quotient + sign;
      if (twice < denominator) return quotient;
      return quotient % 2n === 0n ? quotient : quotient + sign;
  }
}

/** amount × numerator / denominator, computed exactly and rounded once. */
export function multiplyByRatio(amount: Rupiah, numerator: number | bigint, denominator: number | bigint, rounding: Rounding): Rupiah {
  const num = typeof numerator === 'bigint' ? numerator : integerBigInt(numerator, 'numerator');
  const den = typeof denominator === 'bigint' ? denominator : integerBigInt(denominator, 'denominator');
  const result = divideRounded(BigInt(amount) * num, den, rounding);
  if (result > BigInt(Number.MAX_SAFE_INTEGER) || result < BigInt(Number.MIN_SAFE_INTEGER)) {
    throw new RupiahError('result exceeds the safe integer range');
  }
  return rupiah(Number(result));
}

function integerBigInt(value: number, what: string): bigint {
  if (!Number.isSafeInteger(value)) throw new RupiahError(`${what} must be an integer`);
  return BigInt(value);
}

/**
 * A decimal (such as a land area of 72.5 m² or a rate of 2.5 %) as an exact fraction, read from its shortest
 * decimal representation so 0.1 is 1/10 and not the binary float's 3602879701896397/36028797018963968.
 */
export function decimalToFraction(value: number | string): { numerator: bigint; denominator: bigint } {
  const text = typeof value === 'number' ? numberToPlainString(value) : value.trim();
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text);
  if (!match) throw new RupiahError(`not a decimal number: ${String(value)}`);
  const [, sign, whole, fraction = ''] = match;
  const denominator = 10n ** BigInt(fraction.length);
  const numerator = BigInt(whole + fraction) * (sign === '-' ? -1n : 1n);
  return { numerator, denominator };
}

function numberToPlainString(value: number): string {
  if (!Number.isFinite(value)) throw new RupiahError(`not a finite number: ${value}`);
  const text = String(value);
  if (!/e/i.test(text)) return text;
  // Exponent notation only appears for very small or very large magnitudes; toFixed(20) is exact enough there.
  return value.toFixed(20).replace(/\.?0+$/, '');
}

/** amount × factor for a decimal factor (per-m² rates × area), rounded once. */
export function multiplyByDecimal(amount: Rupiah, factor: number | string, rounding: Rounding): Rupiah {
  const { numerator, denominator } = decimalToFraction(factor);
  return multiplyByRatio(amount, numerator, denominator, rounding);
}

/** `percent` % of amount (percent may be a decimal such as 2.5), rounded once. */
export function percentOf(amount: Rupiah, percent: number | string, rounding: Rounding): Rupiah {
  const { numerator, denominator } = decimalToFraction(percent);
  return multiplyByRatio(amount, numerator, denominator * 100n, rounding);
}

const idrFormat = new Intl.NumberFormat('id-ID', {
  style: 'currency',
  currency: 'IDR',
  minimumFractionDigits: 0,
  maximumFractionDigits: 0,
});

/** "Rp 150.000" — with an ordinary space, because thermal printers and PDF fonts mangle U+00A0. */
export function formatRupiah(amount: Rupiah): string {
  return idrFormat.format(amount).replace(/\u00a0/g, ' ');
}

const ONES = ['', 'satu', 'dua', 'tiga', 'empat', 'lima', 'enam', 'tujuh', 'delapan', 'sembilan'];
// Index = power of a thousand. Beyond kuadriliun the safe integer range ends.
const SCALES = ['', 'ribu', 'juta', 'miliar', 'triliun', 'kuadriliun'];

function wordsBelowThousand(n: number): string[] {
  const words: string[] = [];
  const hundreds = Math.floor(n / 100);
  const rest = n % 100;
  if (hundreds === 1) words.push('seratus');
  else if (hundreds > 1) words.push(ONES[hundreds], 'ratus');
  if (rest === 0) return words;
  if (rest < 10) words.push(ONES[rest]);
  else if (rest === 10) words.push('sepuluh');
  else if (rest === 11) words.push('sebelas');
  else if (rest < 20) words.push(ONES[rest - 10], 'belas');
  else {
    words.push(ONES[Math.floor(rest / 10)], 'puluh');
    if (rest % 10) words.push(ONES[rest % 10]);
  }
  return words;
}

/** The number in Indonesian words, without a currency: 1500 → "seribu lima ratus". */
export function terbilangAngka(value: number): string {
  if (!Number.isSafeInteger(value)) throw new RupiahError(`not a whole number: ${value}`);
  if (value === 0) return 'nol';
  if (value < 0) return `minus ${terbilangAngka(-value)}`;
  const groups: number[] = [];
  let rest = BigInt(value);
  while (rest > 0n) {
    groups.push(Number(rest % 1000n));
    rest /= 1000n;
  }
  const words: string[] = [];
  for (let scale = groups.length - 1; scale >= 0; scale--) {
    const group = groups[scale];
    if (group === 0) continue;
    // "seribu", never "satu ribu"; but "satu juta", "satu miliar".
    if (scale === 1 && group === 1) words.push('seribu');
    else words.push(...wordsBelowThousand(group), ...(SCALES[scale] ? [SCALES[scale]] : []));
  }
  return words.join(' ');
}

/** The amount in words for receipts (kuitansi): 150000 → "seratus lima puluh ribu rupiah". */
export function terbilang(amount: Rupiah): string {
  return `${terbilangAngka(amount)} rupiah`;
}
