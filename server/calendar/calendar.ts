import { DateTime } from 'luxon';
import { parseExplicitInstant } from '../db/clock.ts';
import { wallClockAt } from '../../shared/zone-clock.ts';

/**
 * The estate's calendar: the one place that turns instants into the estate's days and periods and back. Days are
 * "YYYY-MM-DD", periods (billing months, cash-book months, report months) "2026-11", both in the estate's time zone.
 * A payment made at 23:30 on 31 October in Jakarta is October's even though it is already 1 November in UTC+8, so
 * every conversion between an instant and a day or a period goes through here with the estate's zone. Nothing here
 * takes "today" from UTC.
 */
export type Period = string & { readonly __period: true };

const PERIOD_RE = /^(\d{4})-(0[1-9]|1[0-2])$/;
const DATE_RE = /^\d{4}-\d{2}-\d{2}$/;

export function isPeriod(value: unknown): value is Period {
  if (typeof value !== 'string' || !PERIOD_RE.test(value)) return false;
  const year = Number(value.slice(0, 4));
  return year >= 2000 && year <= 2100;
}

export function parsePeriod(value: string): Period {
  if (!isPeriod(value)) throw new RangeError(`not a period (YYYY-MM): ${value}`);
  return value;
}

/** A real calendar date "YYYY-MM-DD" (rejects 2026-02-30). */
export function isLocalDate(value: unknown): value is string {
  return typeof value === 'string' && DATE_RE.test(value) && DateTime.fromISO(value, { zone: 'UTC' }).isValid;
}

export function periodParts(period: Period): { year: number; month: number } {
  return { year: Number(period.slice(0, 4)), month: Number(period.slice(5, 7)) };
}

export function makePeriod(year: number, month: number): Period {
  return `${String(year).padStart(4, '0')}-${String(month).padStart(2, '0')}` as Period;
}

export function addMonths(period: Period, months: number): Period {
  const { year, month } = periodParts(period);
  const index = year * 12 + (month - 1) + months;
  return makePeriod(Math.floor(index / 12), (index % 12) + 1);
}

/** Whole months from `a` to `b` (positive when b is later). */
export function monthsBetween(a: Period, b: Period): number {
  const pa = periodParts(a);
  const pb = periodParts(b);
  return pb.year * 12 + pb.month - (pa.year * 12 + pa.month);
}

/** The period an instant (UTC ISO string) falls in, in the estate's zone. */
export function periodOfInstant(instantIso: string, zone: string): Period {
  const dt = DateTime.fromISO(instantIso, { zone: 'UTC' }).setZone(zone);
  if (!dt.isValid) throw new RangeError(`not an instant: ${instantIso}`);
  return makePeriod(dt.year, dt.month);
}

export function periodOfLocalDate(date: string): Period {
  return date.slice(0, 7) as Period;
}

/** First and last instant of a period in the estate's zone, as UTC ISO strings (end exclusive). */
export function periodBounds(period: Period, zone: string): { start: string; end: string } {
  const { year, month } = periodParts(period);
  const start = DateTime.fromObject({ year, month, day: 1 }, { zone });
  return { start: start.toUTC().toISO()!, end: start.plus({ months: 1 }).toUTC().toISO()! };
}

/** Local calendar date `days` after `date`. */
export function addDaysToDate(date: string, days: number): string {
  return DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate()!;
}

/** Whole days from local date `a` to local date `b`. */
export function daysBetweenDates(a: string, b: string): number {
  const da = DateTime.fromISO(a, { zone: 'UTC' });
  const db = DateTime.fromISO(b, { zone: 'UTC' });
  return Math.round(db.diff(da, 'days').days);
}

/** The default due date: day `dueDay` of the period, clamped to the month's last day (28 Feb, 30 Apr). */
export function dueDateInPeriod(period: Period, dueDay: number): string {
  const { year, month } = periodParts(period);
  const last = DateTime.fromObject({ year, month, day: 1 }, { zone: 'UTC' }).daysInMonth!;
  return DateTime.fromObject({ year, month, day: Math.min(Math.max(1, dueDay), last) }, { zone: 'UTC' }).toISODate()!;
}

/** Periods from `from` to `to` inclusive. */
export function periodRange(from: Period, to: Period): Period[] {
  const out: Period[] = [];
  for (let p = from; monthsBetween(p, to) >= 0; p = addMonths(p, 1)) out.push(p);
  return out;
}

const BUCKET_MS = 15 * 60_000;
const offsets = new Map<string, number>();
/**
 * The zone's offset from UTC in milliseconds at `ms`. Zones change offset only on quarter-hour boundaries of UTC,
 * so the answer is computed once per zone and quarter hour (an estate asks about the same few quarter hours over
 * and over) instead of through Intl on every call.
 */
export function zoneOffsetMs(zone: string, ms: number): number {
  const bucketStart = Math.floor(ms / BUCKET_MS) * BUCKET_MS;
  const key = `${zone}|${bucketStart}`;
  let offset = offsets.get(key);
  if (offset === undefined) {
    const parts = wallClockAt(zone, bucketStart);
    offset = Date.UTC(parts.year, parts.month - 1, parts.day, parts.hour, parts.minute, parts.second) - bucketStart;
    if (offsets.size >= 10_000) offsets.clear();
    offsets.set(key, offset);
  }
  return offset;
}

/** The calendar day ("YYYY-MM-DD") the instant `ms` falls on in `zone`. */
export function localDateAt(ms: number, zone: string): string {
  const local = new Date(ms + zoneOffsetMs(zone, ms));
  const y = local.getUTCFullYear();
  return `${y < 1000 ? String(y).padStart(4, '0') : y}-${String(local.getUTCMonth() + 1).padStart(2, '0')}-${String(local.getUTCDate()).padStart(2, '0')}`;
}

/** The estate-local calendar day of an ISO-8601 instant (no offset written means UTC). */
export function localDateOfInstant(iso: string, zone: string): string {
  const ms = parseExplicitInstant(iso);
  if (!Number.isNaN(ms)) return localDateAt(ms, zone);
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(zone);
  if (!dt.isValid) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return dt.toISODate()!;
}

/** Today in the estate's calendar. */
export function estateToday(zone: string, now: Date = new Date()): string {
  return localDateAt(now.getTime(), zone);
}

/** First and last local day of a period ("2026-02" → 2026-02-01 … 2026-02-28), for day-dated rows (cash book). */
export function periodDays(period: string): { from: string; to: string } {
  const [y, m] = period.split('-').map(Number);
  const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
  return { from: `${period}-01`, to: `${period}-${String(last).padStart(2, '0')}` };
}
