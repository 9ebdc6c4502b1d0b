/**
 * Stored times are UTC ISO strings; they are shown in the estate's time zone (a Jakarta treasurer looking at a Jayapura
 * estate still sees Jayapura's dates). Date-only values (`2026-03-01`, a move-in day) have no zone and are shown as is.
 *
 * Month names come from tables, not Intl: ICU versions disagree on short months ("Sept" vs "Sep", "Agt" vs "Agu"), and
 * a printed statement must read the same on every machine.
 */
import { paidOnDateOnly } from '../../../shared/paid-at.ts';
import { wallClockAt } from '../../../shared/zone-clock.ts';

const MONTHS = {
  id: ['Januari', 'Februari', 'Maret', 'April', 'Mei', 'Juni', 'Juli', 'Agustus', 'September', 'Oktober', 'November', 'Desember'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
} as const;

const MONTHS_SHORT = {
  id: ['Jan', 'Feb', 'Mar', 'Apr', 'Mei', 'Jun', 'Jul', 'Agu', 'Sep', 'Okt', 'Nov', 'Des'],
  en: ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'],
} as const;

type Lang = keyof typeof MONTHS;

/** Accepts a language ("en") or a BCP 47 locale ("en-GB", "id-ID"); anything else reads as Indonesian. */
function langOf(langOrLocale: string): Lang {
  return langOrLocale.toLowerCase().startsWith('en') ? 'en' : 'id';
}

/** "2026-11" → "November 2026"; anything that is not a period is shown as given rather than guessed at. */
export function formatPeriod(period: string, langOrLocale: string): string {
  const match = /^(\d{4})-(\d{2})$/.exec(period);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) return period;
  return `${MONTHS[langOf(langOrLocale)][month - 1]} ${match[1]}`;
}

/** The month name alone (chart axes), from a period. */
export function formatPeriodShort(period: string, langOrLocale: string): string {
  const month = Number(period.slice(5, 7));
  return month >= 1 && month <= 12 ? MONTHS_SHORT[langOf(langOrLocale)][month - 1] : period;
}

/** "2026-11-30" → "30 Nov 2026", the same day whatever the browser's zone. */
export function formatDay(day: string, langOrLocale: string): string {
  const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(day);
  const month = match ? Number(match[2]) : 0;
  if (!match || month < 1 || month > 12) return day;
  return `${Number(match[3])} ${MONTHS_SHORT[langOf(langOrLocale)][month - 1]} ${match[1]}`;
}

/** A date-only value or a UTC instant, as the estate's local day "30 Nov 2026". */
export function formatDate(value: string, langOrLocale: string, timeZone: string): string {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDay(value, langOrLocale);
  const ms = new Date(value).getTime();
  if (Number.isNaN(ms)) return value;
  const p = wallClockAt(timeZone, ms);
  return formatDay(`${p.year}-${String(p.month).padStart(2, '0')}-${String(p.day).padStart(2, '0')}`, langOrLocale);
}

/** An instant as the estate's local day and time: "30 Nov 2026 14.05" (id) / "30 Nov 2026 14:05" (en). */
export function formatDateTime(iso: string, locale: string, timeZone: string): string {
  const ms = new Date(iso).getTime();
  if (Number.isNaN(ms)) return iso;
  const p = wallClockAt(timeZone, ms);
  const pad = (n: number) => String(n).padStart(2, '0');
  const day = formatDay(`${p.year}-${pad(p.month)}-${pad(p.day)}`, locale);
  return `${day} ${pad(p.hour)}${langOf(locale) === 'en' ? ':' : '.'}${pad(p.minute)}`;
}

/** When a payment was made: its day and time, or only its day when it was entered by date (shared/paid-at.ts). */
export function formatPaidAt(iso: string, locale: string, timeZone: string): string {
  return paidOnDateOnly(iso, timeZone) ? formatDate(iso, locale, timeZone) : formatDateTime(iso, locale, timeZone);
}
