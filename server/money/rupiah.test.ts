import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import {
  addRupiah,
  formatRupiah,
  multiplyByDecimal,
  multiplyByRatio,
  parseRupiah,
  percentOf,
  rupiah,
  RupiahError,
  subRupiah,
  sumRupiah,
  terbilang,
  terbilangAngka,
} from './rupiah.ts';

describe('rupiah constructors', () => {
  it('accepts safe integers and rejects fractions, NaN, infinities and unsafe values', () => {
    expect(rupiah(150000)).toBe(150000);
    expect(Object.is(rupiah(-0), 0)).toBe(true);
    for (const bad of [1.5, NaN, Infinity, -Infinity, Number.MAX_SAFE_INTEGER + 1, '5' as unknown as number]) {
      expect(() => rupiah(bad)).toThrow(RupiahError);
    }
  });

  it('parses digits and id-ID formatted strings but never a decimal', () => {
    expect(parseRupiah('150000')).toBe(150000);
    expect(parseRupiah('150.000')).toBe(150000);
    expect(parseRupiah('Rp 1.250.000')).toBe(1250000);
    expect(parseRupiah(' -2.000 ')).toBe(-2000);
    expect(parseRupiah(42)).toBe(42);
    for (const bad of ['1.5', '1,5', '15.00', 'abc', '', null, undefined, {}, 1.2, '1.0000']) {
      expect(() => parseRupiah(bad)).toThrow(RupiahError);
    }
  });
});

describe('arithmetic', () => {
  it('adds, subtracts and sums exactly', () => {
    expect(addRupiah(rupiah(100), rupiah(250), rupiah(-50))).toBe(300);
    expect(subRupiah(rupiah(100), rupiah(250))).toBe(-150);
    expect(sumRupiah([rupiah(1), rupiah(2), rupiah(3)])).toBe(6);
    expect(() => addRupiah(rupiah(Number.MAX_SAFE_INTEGER), rupiah(1))).toThrow(RupiahError);
  });

  it('rounds a ratio exactly as stated', () => {
    const a = rupiah(10);
    expect(multiplyByRatio(a, 1, 4, 'half_up')).toBe(3); // 2.5 → 3
    expect(multiplyByRatio(a, 1, 4, 'half_even')).toBe(2); // 2.5 → 2
    expect(multiplyByRatio(rupiah(14), 1, 4, 'half_even')).toBe(4); // 3.5 → 4
    expect(multiplyByRatio(a, 1, 4, 'down')).toBe(2);
    expect(multiplyByRatio(a, 1, 4, 'up')).toBe(3);
    expect(multiplyByRatio(rupiah(-10), 1, 4, 'half_up')).toBe(-3);
    expect(multiplyByRatio(rupiah(-10), 1, 4, 'down')).toBe(-3);
    expect(multiplyByRatio(rupiah(-10), 1, 4, 'up')).toBe(-2);
    expect(multiplyByRatio(rupiah(10), 1, 3, 'half_up')).toBe(3);
    expect(() => multiplyByRatio(a, 1, 0, 'down')).toThrow(RupiahError);
    expect(() => multiplyByRatio(a, 1.5, 2, 'down')).toThrow(RupiahError);
  });

  it('multiplies by decimals without binary-float error', () => {
    expect(multiplyByDecimal(rupiah(3000), 72.5, 'half_up')).toBe(217500);
    expect(multiplyByDecimal(rupiah(1000), '0.1', 'half_up')).toBe(100);
    expect(multiplyByDecimal(rupiah(3), 0.1, 'up')).toBe(1); // 0.3 → 1, a float would give 0.30000000000000004
    expect(multiplyByDecimal(rupiah(1_000_000), 1e-7, 'half_up')).toBe(0);
    expect(percentOf(rupiah(150000), 2.5, 'half_up')).toBe(3750);
    expect(percentOf(rupiah(99), 50, 'half_up')).toBe(50);
    expect(percentOf(rupiah(99), 50, 'down')).toBe(49);
    expect(() => multiplyByDecimal(rupiah(1), 'x', 'up')).toThrow(RupiahError);
  });

  it('a ratio result always lies within one rupiah of the exact value', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -1e9, max: 1e9 }),
        fc.integer({ min: 0, max: 10000 }),
        fc.integer({ min: 1, max: 10000 }),
        fc.constantFrom('half_up', 'half_even', 'down', 'up' as const),
        (amount, num, den, rounding) => {
          const r = multiplyByRatio(rupiah(amount), num, den, rounding);
          const exact = (amount * num) / den;
          expect(Number.isSafeInteger(r)).toBe(true);
          expect(Math.abs(r - exact)).toBeLessThanOrEqual(1);
          if (rounding === 'down') expect(r).toBeLessThanOrEqual(exact + 1e-6);
          if (rounding === 'up') expect(r).toBeGreaterThanOrEqual(exact - 1e-6);
          if (rounding === 'half_up' || rounding === 'half_even') {
            expect(Math.abs(r - exact)).toBeLessThanOrEqual(0.5 + 1e-6);
          }
        },
      ),
    );
  });
});

describe('formatRupiah', () => {
  it('formats in the id-ID style with an ordinary space', () => {
    expect(formatRupiah(rupiah(150000))).toBe('Rp 150.000');
    expect(formatRupiah(rupiah(0))).toBe('Rp 0');
    expect(formatRupiah(rupiah(1234567890))).toBe('Rp 1.234.567.890');
    expect(formatRupiah(rupiah(-1500))).toBe('-Rp 1.500');
  });
});

describe('terbilang', () => {
  const cases: Array<[number, string]> = [
    [0, 'nol'],
    [1, 'satu'],
    [10, 'sepuluh'],
    [11, 'sebelas'],
    [12, 'dua belas'],
    [19, 'sembilan belas'],
    [20, 'dua puluh'],
    [99, 'sembilan puluh sembilan'],
    [100, 'seratus'],
    [101, 'seratus satu'],
    [111, 'seratus sebelas'],
    [250, 'dua ratus lima puluh'],
    [1000, 'seribu'],
    [1001, 'seribu satu'],
    [1500, 'seribu lima ratus'],
    [2000, 'dua ribu'],
    [11000, 'sebelas ribu'],
    [21000, 'dua puluh satu ribu'],
    [100000, 'seratus ribu'],
    [150000, 'seratus lima puluh ribu'],
    [1000000, 'satu juta'],
    [1001000, 'satu juta seribu'],
    [2500750, 'dua juta lima ratus ribu tujuh ratus lima puluh'],
    [1000000000, 'satu miliar'],
    [1000000000000, 'satu triliun'],
    [
      Number.MAX_SAFE_INTEGER,
      'sembilan kuadriliun tujuh triliun seratus sembilan puluh sembilan miliar dua ratus ' +
        'lima puluh empat juta tujuh ratus empat puluh ribu sembilan ratus sembilan puluh satu',
    ],
    [-5000, 'minus lima ribu'],
  ];
  it.each(cases)('%d → %s', (n, words) => {
    expect(terbilangAngka(n)).toBe(words);
  });

  it('adds the currency for receipts', () => {
    expect(terbilang(rupiah(150000))).toBe('seratus lima puluh ribu rupiah');
  });

  it('never produces doubled or empty words', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (n) => {
        const words = terbilangAngka(n);
        expect(words).not.toMatch(/ {2}|^ | $|undefined/);
        expect(words.startsWith('satu ribu')).toBe(false);
      }),
    );
  });

  it('rejects non-integers', () => {
    expect(() => terbilangAngka(1.5)).toThrow(RupiahError);
  });
});
