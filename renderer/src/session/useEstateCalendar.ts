import { useMemo } from 'react';
import { instantOfLocalTime, periodIn, todayIn } from '../format/calendar.ts';
import { formatDateTime, formatPaidAt } from '../format/date.ts';
import { useSession } from './SessionProvider.tsx';

export interface EstateCalendar {
  zone: string;
  /** Today in the estate (asked each time, so a page left open past midnight moves on). */
  today(): string;
  period(): string;
  /** The instant a form's "on this day" means: noon of that day in the estate. */
  noonOf(day: string): string;
  formatDateTime(iso: string, locale: string): string;
  /** A payment's `paid_at`: without an hour when it was entered by date. */
  formatPaidAt(iso: string, locale: string): string;
}

/** The calendar of the estate the signed-in user is working in; its zone arrives with the session. */
export function useEstateCalendar(): EstateCalendar {
  const { membership } = useSession();
  const zone = membership?.estate_timezone || 'Asia/Jakarta';
  return useMemo(
    () => ({
      zone,
      today: () => todayIn(zone),
      period: () => periodIn(zone),
      noonOf: (day: string) => instantOfLocalTime(day, zone),
      formatDateTime: (iso: string, locale: string) => formatDateTime(iso, locale, zone),
      formatPaidAt: (iso: string, locale: string) => formatPaidAt(iso, locale, zone),
    }),
    [zone],
  );
}
