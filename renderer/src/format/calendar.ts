/**
 * Dates in the estate's calendar, from its IANA time zone (which the server's calendar endpoint gives): the
 * browser's own offset and any fixed "+07:00" are never assumed, so an estate in Makassar (WITA) or Jayapura (WIT)
 * gets its own today, periods and days.
 */
import { wallClockAt } from '../../../shared/zone-clock.ts';

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

/** The calendar day (YYYY-MM-DD) it is in `zone` at `now`. */
export function todayIn(zone: string, now: Date = new Date()): string {
  const p = wallClockAt(zone, now.getTime());
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}`;
}

/** The month (YYYY-MM) it is in `zone` at `now`. */
export function periodIn(zone: string, now: Date = new Date()): string {
  return todayIn(zone, now).slice(0, 7);
}

/** The zone's offset from UTC in milliseconds at the instant `ms`. */
function offsetMs(zone: string, ms: number): number {
  const p = wallClockAt(zone, ms);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute, p.second) - Math.floor(ms / 1000) * 1000;
}

/**
 * The instant of a wall-clock time on a local day in `zone`, as a UTC ISO string. Noon is what a form means by "paid on
 * this day": it is that day in the estate whatever the zone.
 */
export function instantOfLocalTime(day: string, zone: string, time = '12:00'): string {
  const [y, m, d] = day.split('-').map(Number);
  const [hh, mm] = time.split(':').map(Number);
  const wall = Date.UTC(y, m - 1, d, hh, mm);
  // Two rounds settle the offset even across a zone's change of offset.
  let guess = wall - offsetMs(zone, wall);
  guess = wall - offsetMs(zone, guess);
  return new Date(guess).toISOString();
}

/** What a `datetime-local` input shows for an instant: the estate's wall-clock time, "YYYY-MM-DDTHH:mm". */
export function localInputOf(instant: Date, zone: string): string {
  const p = wallClockAt(zone, instant.getTime());
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)}T${pad(p.hour)}:${pad(p.minute)}`;
}

/** The instant a `datetime-local` value means in the estate (not in the browser's zone). */
export function instantOfLocalInput(value: string, zone: string): string {
  const [day, time = '00:00'] = value.split('T');
  return instantOfLocalTime(day, zone, time.slice(0, 5));
}
