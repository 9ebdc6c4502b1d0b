import { describe, expect, it } from 'vitest';
import { displayPhone } from './phone-display.ts';

describe('displayPhone', () => {
  it('writes mobile numbers from the leading 0 in groups of four', () => {
    expect(displayPhone('+628112345678')).toBe('0811-2345-678');
    expect(displayPhone('+6281234567890')).toBe('0812-3456-7890');
    expect(displayPhone('+62812345678')).toBe('0812-3456-78');
  });

  it('keeps other numbers national, and anything else as stored', () => {
    expect(displayPhone('+62215551234')).toBe('0215551234');
    expect(displayPhone('+6591234567')).toBe('+6591234567');
    expect(displayPhone(null)).toBe('');
  });
});
