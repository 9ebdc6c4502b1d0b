import { describe, expect, it } from 'vitest';
import {
  addMonths,
  dueDateInPeriod,
  isLocalDate,
  isPeriod,
  localDateOfInstant,
  monthsBetween,
  periodBounds,
  periodOfInstant,
  periodRange,
  parsePeriod,
  daysBetweenDates,
  addDaysToDate,
} from './calendar.ts';

describe('periods in the estate time zone', () => {
  it('validates periods and dates', () => {
    expect(isPeriod('2026-11')).toBe(true);
    for (const bad of ['2026-13', '2026-00', '2026-1', '26-11', '2026-11-01', 202611, null, '1999-12']) {
      expect(isPeriod(bad)).toBe(false);
    }
    expect(isLocalDate('2026-02-28')).toBe(true);
    expect(isLocalDate('2026-02-30')).toBe(false);
    expect(isLocalDate('2026-2-3')).toBe(false);
    expect(() => parsePeriod('nope')).toThrow();
  });

  it('moves across year boundaries', () => {
    const nov = parsePeriod('2026-11');
    expect(addMonths(nov, 2)).toBe('2027-01');
    expect(addMonths(nov, -11)).toBe('2025-12');
    expect(monthsBetween(nov, parsePeriod('2027-02'))).toBe(3);
    expect(periodRange(nov, parsePeriod('2027-01'))).toEqual(['2026-11', '2026-12', '2027-01']);
  });

  it('puts a late-evening Jakarta payment in the local month, not the UTC one', () => {
    // 31 Oct 2026 23:30 WIB is 16:30 UTC the same day; 1 Nov 00:30 WIB is still 31 Oct in UTC.
    expect(periodOfInstant('2026-10-31T17:30:00.000Z', 'Asia/Jakarta')).toBe('2026-11');
    expect(periodOfInstant('2026-10-31T17:30:00.000Z', 'UTC')).toBe('2026-10');
    expect(localDateOfInstant('2026-10-31T17:30:00.000Z', 'Asia/Jakarta')).toBe('2026-11-01');
    expect(localDateOfInstant('2026-10-31T17:30:00.000Z', 'Asia/Jayapura')).toBe('2026-11-01');
  });

  it('gives period bounds as UTC instants', () => {
    expect(periodBounds(parsePeriod('2026-11'), 'Asia/Jakarta')).toEqual({
      start: '2026-10-31T17:00:00.000Z',
      end: '2026-11-30T17:00:00.000Z',
    });
  });

  it('clamps due days to the month and counts days', () => {
    expect(dueDateInPeriod(parsePeriod('2026-02'), 31)).toBe('2026-02-28');
    expect(dueDateInPeriod(parsePeriod('2028-02'), 30)).toBe('2028-02-29');
    expect(dueDateInPeriod(parsePeriod('2026-11'), 10)).toBe('2026-11-10');
    expect(daysBetweenDates('2026-11-10', '2026-12-10')).toBe(30);
    expect(addDaysToDate('2026-12-25', 10)).toBe('2027-01-04');
  });
});
