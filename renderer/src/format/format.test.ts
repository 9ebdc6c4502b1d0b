import { describe, expect, it } from 'vitest';
import { formatRupiah } from './rupiah.ts';
import { formatDay, formatDateTime } from './date.ts';

describe('formatRupiah', () => {
  it('writes integer rupiah the Indonesian way', () => {
    expect(formatRupiah(150000).replace(/\s/g, ' ')).toBe('Rp 150.000');
    expect(formatRupiah(0).replace(/\s/g, ' ')).toBe('Rp 0');
  });
});

describe('dates', () => {
  it('shows a UTC instant in the estate time zone', () => {
    // 17:30 UTC is already the next day in Jakarta (UTC+7).
    expect(formatDateTime('2026-01-31T17:30:00Z', 'id-ID', 'Asia/Jakarta')).toMatch(/1 Feb 2026/);
  });

  it('shows a date-only value without shifting it', () => {
    expect(formatDay('2026-03-01', 'id-ID')).toMatch(/1 Mar 2026/);
  });
});
