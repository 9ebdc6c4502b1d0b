import { describe, expect, it } from 'vitest';
import { CATEGORY_PATTERN, categoryCodeFor } from './categories.ts';

describe('categoryCodeFor', () => {
  it('makes a lowercase code from the name typed, accents and punctuation folded', () => {
    expect(categoryCodeFor('Lomba 17-an Agustus', new Set())).toBe('lomba_17_an_agustus');
    expect(categoryCodeFor('Perbaikan Pos Satpam (Blok C)', new Set())).toBe('perbaikan_pos_satpam_blok_c');
    expect(categoryCodeFor('Café & Kopi', new Set())).toBe('cafe_kopi');
  });

  it('always fits the code pattern, even for names without a leading letter or any ASCII letter', () => {
    for (const name of ['17 Agustus', '!!', 'ー', 'x', 'a'.repeat(80)]) {
      expect(categoryCodeFor(name, new Set())).toMatch(CATEGORY_PATTERN);
    }
    expect(categoryCodeFor('17 Agustus', new Set())).toBe('k_17_agustus');
  });

  it('never returns a code already taken', () => {
    const taken = new Set(['listrik', 'listrik_2']);
    expect(categoryCodeFor('Listrik', taken)).toBe('listrik_3');
  });
});
