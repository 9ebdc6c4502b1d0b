import { describe, expect, it } from 'vitest';
import { formatDateInput, parseDateInput } from './date-input.ts';

describe('date field text', () => {
  it('reads day first, never month first', () => {
    expect(parseDateInput('03/04/2026')).toBe('2026-04-03');
    expect(parseDateInput('3-4-2026')).toBe('2026-04-03');
    expect(parseDateInput('30.11.2026')).toBe('2026-11-30');
    expect(parseDateInput(' 30/11/2026 ')).toBe('2026-11-30');
  });

  it('reads month names in Indonesian and English, and ISO days', () => {
    expect(parseDateInput('30 Nov 2026')).toBe('2026-11-30');
    expect(parseDateInput('1 Agustus 2026')).toBe('2026-08-01');
    expect(parseDateInput('17 Agt 2026')).toBe('2026-08-17');
    expect(parseDateInput('5 Mei 2026')).toBe('2026-05-05');
    expect(parseDateInput('25 December 2026')).toBe('2026-12-25');
    expect(parseDateInput('2026-11-30')).toBe('2026-11-30');
  });

  it('refuses what is not a real day or would be a guess', () => {
    for (const text of ['31/11/2026', '29/02/2026', '11/30/2026', '30 Foo 2026', '30/11/26', '', '2026-13-01', '30 Nov']) {
      expect(parseDateInput(text), text).toBeNull();
    }
    expect(parseDateInput('29/02/2028')).toBe('2028-02-29');
  });

  it('shows an ISO day as dd/mm/yyyy', () => {
    expect(formatDateInput('2026-04-03')).toBe('03/04/2026');
    expect(formatDateInput('')).toBe('');
  });
});
