import { describe, expect, it } from 'vitest';
import { parseUnitAddress, unitAddressFromParts } from './unit-address.ts';

describe('parseUnitAddress', () => {
  it.each([
    ['A-12', 'A-12'],
    ['A12', 'A-12'],
    ['a12', 'A-12'],
    ['A/12', 'A-12'],
    ['A.12', 'A-12'],
    ['A 12', 'A-12'],
    ['Blok A No. 12', 'A-12'],
    ['blok a no 12', 'A-12'],
    ['BLOK A NO.12', 'A-12'],
    ['Blok A/12', 'A-12'],
    ['Blok A-12', 'A-12'],
    ['Blok A nomor 012', 'A-12'],
    ['Jl. Mawar Blok B2 No. 5', 'B2-5'],
    ['Blok A12', 'A-12'],
    ['No 12', '12'],
    ['B2-5', 'B2-5'],
    ['B2/5', 'B2-5'],
    ['C-7A', 'C-7A'],
    ['Kav. 30', '30'],
    ['12', '12'],
  ])('reads %s as %s', (input, code) => {
    expect(parseUnitAddress(input)?.code).toBe(code);
  });

  it('keeps block and number apart', () => {
    expect(parseUnitAddress('Blok D No. 3')).toEqual({ code: 'D-3', block: 'D', number: '3' });
  });

  it.each(['', 'Kosong', 'Jl. Mawar', 'A-B'])('finds no unit in %j', (input) => {
    expect(parseUnitAddress(input)).toBeNull();
  });
});

describe('unitAddressFromParts', () => {
  it('joins a block column and a number column', () => {
    expect(unitAddressFromParts('A', '12')?.code).toBe('A-12');
    expect(unitAddressFromParts('Blok c', 'No. 07')?.code).toBe('C-7');
    expect(unitAddressFromParts('R', '1')?.code).toBe('R-1');
  });

  it('accepts a number without a block', () => {
    expect(unitAddressFromParts('', '5')).toEqual({ code: '5', block: null, number: '5' });
  });

  it('reads a whole address written in the number column', () => {
    expect(unitAddressFromParts('', 'E-4')?.code).toBe('E-4');
  });

  it('rejects a number that is not a house number', () => {
    expect(unitAddressFromParts('A', 'dua belas')).toBeNull();
  });
});
