import { describe, expect, it } from 'vitest';
import type { Period } from '../calendar/calendar.ts';
import { proposedDueDate } from './due-date.ts';

const p = (s: string) => s as Period;

describe('proposedDueDate', () => {
  it('is the due day of the billed month when that is still ahead', () => {
    expect(proposedDueDate(p('2026-12'), 10, '2026-11-30')).toBe('2026-12-10');
    expect(proposedDueDate(p('2026-11'), 10, '2026-11-01')).toBe('2026-11-10');
  });

  it("moves to next month's due day when the run is on or after this month's", () => {
    expect(proposedDueDate(p('2026-11'), 10, '2026-11-10')).toBe('2026-12-10');
    expect(proposedDueDate(p('2026-11'), 10, '2026-11-30')).toBe('2026-12-10');
  });

  it('never lies before the run for a past month billed late', () => {
    expect(proposedDueDate(p('2026-06'), 10, '2026-11-05')).toBe('2026-11-10');
    expect(proposedDueDate(p('2026-06'), 10, '2026-11-20')).toBe('2026-12-10');
  });

  it('clamps the due day to short months', () => {
    expect(proposedDueDate(p('2027-02'), 31, '2027-01-31')).toBe('2027-02-28');
    expect(proposedDueDate(p('2027-01'), 31, '2027-01-31')).toBe('2027-02-28');
  });
});
