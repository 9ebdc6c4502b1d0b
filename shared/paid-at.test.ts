import { describe, expect, it } from 'vitest';
import { paidOnDateOnly } from './paid-at.ts';

describe('paidOnDateOnly', () => {
  it('reads the start of the estate day, its noon and midnight UTC as a date', () => {
    expect(paidOnDateOnly('2026-11-20T17:00:00.000Z', 'Asia/Jakarta')).toBe(true);
    expect(paidOnDateOnly('2026-11-21T05:00:00.000Z', 'Asia/Jakarta')).toBe(true);
    expect(paidOnDateOnly('2026-11-21T00:00:00.000Z', 'Asia/Jakarta')).toBe(true);
    expect(paidOnDateOnly('2026-11-21T03:00:00.000Z', 'Asia/Jayapura')).toBe(true);
    expect(paidOnDateOnly('2026-11-21T04:00:00.000Z', 'Asia/Makassar')).toBe(true);
  });

  it('keeps any other instant as a time of day', () => {
    expect(paidOnDateOnly('2026-11-21T07:05:00.000Z', 'Asia/Jakarta')).toBe(false);
    expect(paidOnDateOnly('2026-11-21T05:00:00.001Z', 'Asia/Jakarta')).toBe(false);
    expect(paidOnDateOnly('2026-11-21T05:00:30.000Z', 'Asia/Jakarta')).toBe(false);
    expect(paidOnDateOnly('2026-11-21T06:00:00.000Z', 'Asia/Jakarta')).toBe(false);
    expect(paidOnDateOnly('not a time', 'Asia/Jakarta')).toBe(false);
  });
});
