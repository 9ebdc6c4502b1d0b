import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { DateTime } from 'luxon';
import { parseExplicitInstant } from '../db/clock.ts';
import { localDateAt, zoneOffsetMs } from './calendar.ts';

const ZONES = [
  'Asia/Jakarta',
  'Asia/Makassar',
  'Asia/Jayapura',
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Australia/Lord_Howe',
  'Asia/Kathmandu',
  'Pacific/Chatham',
];

describe('estate-local dates without luxon on the hot path', () => {
  it('agrees with luxon on the local date and offset of any instant in zones with and without DST', () => {
    fc.assert(
      fc.property(fc.integer({ min: Date.UTC(2000, 0, 1), max: Date.UTC(2040, 0, 1) }), fc.constantFrom(...ZONES), (ms, zone) => {
        const dt = DateTime.fromMillis(ms, { zone });
        expect(localDateAt(ms, zone)).toBe(dt.toISODate());
        expect(zoneOffsetMs(zone, ms)).toBe(dt.offset * 60_000);
      }),
      { numRuns: 3000 },
    );
  });

  it('gets the days around DST changes right, minute by minute', () => {
    // Berlin springs forward at 01:00 UTC on 2026-03-29; Lord Howe moves by half an hour.
    for (const [zone, at] of [
      ['Europe/Berlin', Date.UTC(2026, 2, 29, 1)],
      ['Australia/Lord_Howe', Date.UTC(2026, 3, 4, 15)],
    ] as const) {
      for (let m = -90; m <= 90; m++) {
        const ms = at + m * 60_000;
        expect(zoneOffsetMs(zone, ms)).toBe(DateTime.fromMillis(ms, { zone }).offset * 60_000);
      }
    }
  });

  it('puts 23:30 WIB on its own day and 17:00 UTC on the next day in Jakarta', () => {
    expect(localDateAt(Date.parse('2026-11-21T16:30:00Z'), 'Asia/Jakarta')).toBe('2026-11-21');
    expect(localDateAt(Date.parse('2026-11-21T17:00:00Z'), 'Asia/Jakarta')).toBe('2026-11-22');
    expect(localDateAt(Date.parse('2026-11-21T17:00:00Z'), 'Asia/Jayapura')).toBe('2026-11-22');
  });

  it('reads only instants that say their offset', () => {
    expect(parseExplicitInstant('2026-11-21T08:00:00.000Z')).toBe(Date.UTC(2026, 10, 21, 8));
    expect(parseExplicitInstant('2026-11-21T15:00:00+07:00')).toBe(Date.UTC(2026, 10, 21, 8));
    expect(parseExplicitInstant('2026-11-21T08:00:00')).toBeNaN();
    expect(parseExplicitInstant('2026-11-21')).toBeNaN();
    expect(parseExplicitInstant('2026-13-21T08:00:00Z')).toBeNaN();
  });

  it('refuses a zone the runtime does not know', () => {
    expect(() => zoneOffsetMs('Mars/Olympus', Date.now())).toThrow(RangeError);
  });
});
