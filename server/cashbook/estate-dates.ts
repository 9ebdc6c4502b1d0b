import { DateTime } from 'luxon';
import { localDateOfIso } from '../db/clock.ts';
import type { ScopedStore } from '../db/scoped-store.ts';

/** The calendar day (YYYY-MM-DD) an instant falls on in the estate's time zone: cash-book dates and periods use it. */
export function localDateOf(iso: string, timezone: string): string {
  return localDateOfIso(iso, timezone);
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
