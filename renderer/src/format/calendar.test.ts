import { describe, expect, it } from 'vitest';
import { instantOfLocalTime, periodIn, todayIn } from './calendar.ts';

describe('estate calendar in the renderer', () => {
  it("takes today from the estate's zone, not UTC or the browser", () => {
    // 16:30 UTC on 30 Nov is 23:30 in Jakarta, 00:30 on 1 Dec in Makassar and 01:30 on 1 Dec in Jayapura.
    const at = new Date('2026-11-30T16:30:00Z');
    expect(todayIn('Asia/Jakarta', at)).toBe('2026-11-30');
    expect(todayIn('Asia/Makassar', at)).toBe('2026-12-01');
    expect(todayIn('Asia/Jayapura', at)).toBe('2026-12-01');
    expect(periodIn('Asia/Jakarta', at)).toBe('2026-11');
    expect(periodIn('Asia/Jayapura', at)).toBe('2026-12');
    expect(todayIn('Asia/Jakarta', new Date('2026-12-31T17:00:00Z'))).toBe('2027-01-01');
  });

  it('turns a local day into the instant of noon there, for each Indonesian zone', () => {
    expect(instantOfLocalTime('2026-11-30', 'Asia/Jakarta')).toBe('2026-11-30T05:00:00.000Z');
    expect(instantOfLocalTime('2026-11-30', 'Asia/Makassar')).toBe('2026-11-30T04:00:00.000Z');
    expect(instantOfLocalTime('2026-11-30', 'Asia/Jayapura')).toBe('2026-11-30T03:00:00.000Z');
    expect(instantOfLocalTime('2026-03-01', 'Asia/Jakarta', '00:00')).toBe('2026-02-28T17:00:00.000Z');
    // A zone with daylight saving: noon on the day clocks change is still noon there.
    expect(instantOfLocalTime('2026-03-29', 'Europe/Amsterdam')).toBe('2026-03-29T10:00:00.000Z');
  });
});

describe('datetime-local inputs in the estate zone', () => {
  it('shows and reads wall-clock time of the estate, whatever zone the browser is in', async () => {
    const { instantOfLocalInput, localInputOf } = await import('./calendar.ts');
    const at = new Date('2026-11-30T16:30:00Z');
    expect(localInputOf(at, 'Asia/Jakarta')).toBe('2026-11-30T23:30');
    expect(localInputOf(at, 'Asia/Jayapura')).toBe('2026-12-01T01:30');
    expect(instantOfLocalInput('2026-12-01T01:30', 'Asia/Jayapura')).toBe('2026-11-30T16:30:00.000Z');
    expect(instantOfLocalInput('2026-11-30T23:30', 'Asia/Jakarta')).toBe('2026-11-30T16:30:00.000Z');
  });
});
