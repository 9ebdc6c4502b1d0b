import { describe, expect, it } from 'vitest';
import { wallClockAt } from './zone-clock.ts';

describe('wallClockAt', () => {
  const instant = Date.parse('2026-12-31T15:30:00Z');

  it('reads the local wall clock of an instant in each Indonesian zone', () => {
    expect(wallClockAt('Asia/Jakarta', instant)).toEqual({ year: 2026, month: 12, day: 31, hour: 22, minute: 30, second: 0 });
    expect(wallClockAt('Asia/Makassar', instant)).toEqual({ year: 2026, month: 12, day: 31, hour: 23, minute: 30, second: 0 });
    expect(wallClockAt('Asia/Jayapura', instant)).toEqual({ year: 2027, month: 1, day: 1, hour: 0, minute: 30, second: 0 });
  });

  it('reads midnight as hour 0, not 24', () => {
    expect(wallClockAt('Asia/Jakarta', Date.parse('2026-11-29T17:00:00Z')).hour).toBe(0);
  });

  it('refuses a zone the runtime does not know', () => {
    expect(() => wallClockAt('Mars/Olympus', instant)).toThrow(RangeError);
  });
});
