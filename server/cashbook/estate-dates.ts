import { DateTime } from 'luxon';
import { localDateAt, parseExplicitInstant } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

/** The calendar day (YYYY-MM-DD) an instant falls on in the estate's time zone: cash-book dates and periods use it. */
export function localDateOf(iso: string, timezone: string): string {
  const ms = parseExplicitInstant(iso);
  if (!Number.isNaN(ms)) return localDateAt(ms, timezone);
  const dt = DateTime.fromISO(iso, { zone: 'utc' }).setZone(timezone);
  if (!dt.isValid) throw new RangeError(`not an ISO-8601 instant: ${iso}`);
  return dt.toISODate()!;
}

export function periodOfDate(date: string): string {
  return date.slice(0, 7);
}

export function isCalendarDate(value: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  return DateTime.fromISO(value, { zone: 'utc' }).isValid;
}

export function isPeriod(value: string): boolean {
  return /^\d{4}-(0[1-9]|1[0-2])$/.test(value);
}

export async function estateTimezone(tx: ScopedStore): Promise<string> {
  return tx.timezone();
}

export async function estateToday(tx: ScopedStore): Promise<string> {
  return localDateOf(new Date().toISOString(), await estateTimezone(tx));
}
