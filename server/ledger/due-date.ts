import { addMonths, dueDateInPeriod, periodOfLocalDate, type Period } from '../calendar/calendar.ts';

/**
 * The due date a billing run proposes when none is given: the estate's due day of the billed month, or, when that
 * day is not after the run (a late run, or a past month billed now), the due day of the first month whose due day
 * is. A proposal before or on the run date would make the new invoices overdue the moment they are issued.
 * `today` is the estate's today (calendar/calendar.ts).
 */
export function proposedDueDate(period: Period, dueDay: number, today: string): string {
  let month = period;
  const todayMonth = periodOfLocalDate(today);
  if (month < todayMonth) month = todayMonth;
  let due = dueDateInPeriod(month, dueDay);
  while (due <= today) {
    month = addMonths(month, 1);
    due = dueDateInPeriod(month, dueDay);
  }
  return due;
}
