import { describe, expect, it } from 'vitest';
import { generatePairingCode, normalizePairingCode } from './pairing-code.ts';

describe('pairing codes', () => {
  it('are 8 unambiguous characters in two groups', () => {
    for (let i = 0; i < 100; i++) expect(generatePairingCode()).toMatch(/^[A-HJKMNP-Z2-9]{4}-[A-HJKMNP-Z2-9]{4}$/);
  });
  it('normalise what a person types', () => {
    expect(normalizePairingCode(' abcd-efgh ')).toBe('ABCDEFGH');
    expect(normalizePairingCode('ABCD EFGH')).toBe('ABCDEFGH');
  });
});
