import { describe, expect, it } from 'vitest';
import { normalizePhone } from './phone.ts';

describe('normalizePhone', () => {
  it.each([
    ['081234567890', '+6281234567890'],
    ['0812-3456-7890', '+6281234567890'],
    ['0812 3456 7890', '+6281234567890'],
    ['+62 812 3456 7890', '+6281234567890'],
    ['+62-812-3456-7890', '+6281234567890'],
    ['6281234567890', '+6281234567890'],
    ['81234567890', '+6281234567890'],
    ['(0812) 3456-7890', '+6281234567890'],
    ['0812.3456.7890', '+6281234567890'],
    ['0812-3456-7890 / 0813-1111-2222', '+6281234567890'],
    ['021-8888-7777', '+622188887777'],
  ])('normalizes %s', (input, phone) => {
    expect(normalizePhone(input)).toEqual({ ok: true, phone });
  });

  it.each(['', '-', ' - ', '—', 'Tidak ada'])('treats %j as no number', (input) => {
    expect(normalizePhone(input)).toEqual({ ok: true, phone: null });
  });

  it.each(['12', 'abc', '0812', '+1 555'])('rejects %j', (input) => {
    const result = normalizePhone(input);
    expect(result.ok).toBe(false);
  });
});
