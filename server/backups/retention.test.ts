import { describe, expect, it } from 'vitest';
import { localDateOfInstant } from '../calendar/calendar.ts';
import { backupsToKeep, isoWeekOf } from './retention.ts';

// Nightly backups at 02:00 Jakarta (19:00 UTC the evening before), from 2026-09-01 to 2026-11-30.
function nightly(from: string, days: number) {
  const start = Date.parse(`${from}T19:00:00Z`) - 86_400_000;
  return Array.from({ length: days }, (_, i) => {
    const at = new Date(start + i * 86_400_000).toISOString();
    return { id: at, started_at: at };
  });
}
const local = (id: string) => localDateOfInstant(id, 'Asia/Jakarta');

describe('backup retention', () => {
  it('ISO weeks start on Monday and belong to the year of their Thursday', () => {
    expect(isoWeekOf('2026-11-30')).toBe('2026-W49'); // a Monday
    expect(isoWeekOf('2026-11-29')).toBe('2026-W48'); // the Sunday before
    expect(isoWeekOf('2027-01-01')).toBe('2026-W53');
    expect(isoWeekOf('2025-12-29')).toBe('2026-W01');
  });

  it('keeps the newest of the last 7 days, 4 weeks and 12 months, by the estate calendar', () => {
    const backups = nightly('2026-09-01', 91);
    const kept = [...backupsToKeep(backups, { daily: 7, weekly: 4, monthly: 12 }, 'Asia/Jakarta')].map(local).sort();
    expect(kept).toEqual([
      '2026-09-30', // month: September
      '2026-10-31', // month: October
      '2026-11-15', // week 46 (ends Sunday 15th)
      '2026-11-22', // week 47
      '2026-11-24',
      '2026-11-25',
      '2026-11-26',
      '2026-11-27',
      '2026-11-28',
      '2026-11-29', // also week 48
      '2026-11-30', // also week 49 and November
    ]);
  });

  it('always keeps the newest, and nothing else when every count is spent', () => {
    const backups = nightly('2026-11-01', 10);
    expect([...backupsToKeep(backups, { daily: 1, weekly: 0, monthly: 0 }, 'Asia/Jakarta')].map(local)).toEqual(['2026-11-10']);
  });

  it('counts days with a backup, so a server that was off for a week still keeps seven', () => {
    const backups = [...nightly('2026-10-01', 10), ...nightly('2026-11-20', 3)];
    const kept = [...backupsToKeep(backups, { daily: 7, weekly: 0, monthly: 0 }, 'Asia/Jakarta')].map(local).sort();
    expect(kept).toEqual(['2026-10-07', '2026-10-08', '2026-10-09', '2026-10-10', '2026-11-20', '2026-11-21', '2026-11-22']);
  });

  it('two backups on one local day: the later one stands for the day', () => {
    const backups = [
      { id: 'morning', started_at: '2026-11-30T01:00:00Z' },
      { id: 'evening', started_at: '2026-11-30T12:00:00Z' },
      { id: 'late-utc-but-next-local-day', started_at: '2026-11-30T18:00:00Z' },
    ];
    // 18:00 UTC is 01:00 on 1 December in Jakarta: a day of its own.
    expect([...backupsToKeep(backups, { daily: 2, weekly: 0, monthly: 0 }, 'Asia/Jakarta')].sort()).toEqual([
      'evening',
      'late-utc-but-next-local-day',
    ]);
  });
});
