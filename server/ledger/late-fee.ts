import { percentOf, rupiah, ZERO_RUPIAH, type Rupiah } from '../money/rupiah.ts';
import { daysBetweenDates } from '../calendar/calendar.ts';

/** The estate's optional late-fee (denda) rule: a flat amount or a percent of what is still owed, after N days. */
export type LateFeeRule = { mode: 'flat'; amount: number; after_days: number } | { mode: 'percent'; percent: number; after_days: number };

/**
 * The late fee an invoice has earned on `asOfDate` (estate-local "YYYY-MM-DD"): nothing until more than
 * `after_days` days have passed since the due date, and nothing once it is settled. Charged once per invoice.
 */
export function lateFeeFor(
  invoice: { due_date: string; outstanding: Rupiah },
  asOfDate: string,
  rule: LateFeeRule | null | undefined,
): Rupiah {
  if (!rule || invoice.outstanding <= 0) return ZERO_RUPIAH;
  if (daysBetweenDates(invoice.due_date, asOfDate) <= rule.after_days) return ZERO_RUPIAH;
  if (rule.mode === 'flat') return rupiah(rule.amount);
  return percentOf(invoice.outstanding, rule.percent, 'half_up');
}
