import { describe, expect, it } from 'vitest';
import { pairLines, toPrinterAscii, wrapText } from './text-columns.ts';

describe('receipt text columns', () => {
  it('wraps words within the column count and splits words longer than a line', () => {
    const lines = wrapText('Iuran pemeliharaan lingkungan dan keamanan bulan November 2026 ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789', 32);
    for (const l of lines) expect(l.length).toBeLessThanOrEqual(32);
    expect(lines.join(' ').replace(/ /g, '')).toBe(
      'IuranpemeliharaanlingkungandankeamananbulanNovember2026ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789',
    );
  });

  it('puts the value flush right, or on its own line when the pair is too long', () => {
    expect(pairLines('Jumlah', 'Rp 150.000', 32)).toEqual(['Jumlah' + ' '.repeat(16) + 'Rp 150.000']);
    const long = pairLines('Iuran keamanan dan kebersihan November 2026', 'Rp 1.250.000', 32);
    expect(long.at(-1)).toBe(' '.repeat(20) + 'Rp 1.250.000');
    for (const l of long) expect(l.length).toBeLessThanOrEqual(32);
  });

  it('folds accents and typographic quotes to ASCII', () => {
    expect(toPrinterAscii('Café “Ibu” – Rp\u00a0150.000')).toBe('Cafe "Ibu" - Rp 150.000');
  });
});
