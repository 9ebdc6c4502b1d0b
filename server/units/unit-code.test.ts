import { describe, expect, it } from 'vitest';
import { blockOf, normalizeUnitCode, unitSortKey } from './unit-code.ts';

describe('normalizeUnitCode', () => {
  it.each([
    ['A-12', 'A-12'],
    ['a12', 'A-12'],
    ['A/12', 'A-12'],
    ['A.12', 'A-12'],
    ['A 12', 'A-12'],
    ['Blok A No. 12', 'A-12'],
    ['blok b no 3', 'B-3'],
    ['BLOK C2 NO.7A', 'C2-7A'],
    ['A-012', 'A-12'],
    ['Blok A12', 'A-12'],
    ['Ruko-1', 'RUKO-1'],
  ])('%s → %s', (input, expected) => expect(normalizeUnitCode(input)).toBe(expected));

  it('rejects empty and symbol-only input', () => {
    expect(normalizeUnitCode('  ')).toBeNull();
    expect(normalizeUnitCode('!!')).toBeNull();
  });
});

describe('sorting and blocks', () => {
  it('sorts A-2 before A-10', () => {
    expect([unitSortKey('A-10'), unitSortKey('A-2')].sort()).toEqual([unitSortKey('A-2'), unitSortKey('A-10')]);
  });
  it('reads the block from the code', () => expect(blockOf('C2-7A')).toBe('C2'));
});
