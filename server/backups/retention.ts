import { localDateOfInstant } from '../calendar/calendar.ts';

export interface RetentionPolicy {
  daily: number;
  weekly: number;
  monthly: number;
}

export interface KeptBackup {
  id: string;
  started_at: string;
}

/** Monday-based ISO week of a local date `YYYY-MM-DD`, as `YYYY-Www`. */
export function isoWeekOf(date: string): string {
  const [y, m, d] = date.split('-').map(Number);
  const day = new Date(Date.UTC(y, m - 1, d));
  const weekday = day.getUTCDay() || 7;
  // The week belongs to the year of its Thursday.
  day.setUTCDate(day.getUTCDate() + 4 - weekday);
  const yearStart = Date.UTC(day.getUTCFullYear(), 0, 1);
  const week = Math.ceil(((day.getTime() - yearStart) / 86_400_000 + 1) / 7);
  return `${day.getUTCFullYear()}-W${String(week).padStart(2, '0')}`;
}

/**
 * Which backups to keep, grandfather-father-son: the newest of each of the last `daily` days that have one, of the
 * last `weekly` weeks and of the last `monthly` months, days counted in the estate's calendar. The newest backup is
 * always kept. Everything else may be removed.
 */
export function backupsToKeep(backups: readonly KeptBackup[], policy: RetentionPolicy, zone: string): Set<string> {
  const newestFirst = [...backups].sort((a, b) => (a.started_at < b.started_at ? 1 : a.started_at > b.started_at ? -1 : 0));
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].id);
  const buckets: Array<[number, (date: string) => string]> = [
    [policy.daily, (date) => date],
    [policy.weekly, isoWeekOf],
    [policy.monthly, (date) => date.slice(0, 7)],
  ];
  for (const [count, bucketOf] of buckets) {
    const seen = new Set<string>();
    for (const backup of newestFirst) {
      const bucket = bucketOf(localDateOfInstant(backup.started_at, zone));
      if (seen.has(bucket)) continue;
      if (seen.size >= count) break;
      seen.add(bucket);
      keep.add(backup.id);
    }
  }
  return keep;
}
