import { wallClockAt } from './zone-clock.ts';

/**
 * Whether a payment's `paid_at` stands for a day only. A payment keeps one instant, and one entered by its date is
 * stored as the start of that day in the estate (the API), its noon (the office and portal forms) or, from older
 * forms, midnight UTC (07.00 in Jakarta), to the millisecond. A clock reading lands exactly there practically never,
 * so those instants read as a date everywhere a payment is shown (receipts, the payments list and detail, the
 * portal, exports), and no screen or paper invents an hour nobody recorded. Pure: the server and the renderer share it.
 */
export function paidOnDateOnly(paidAt: string, zone: string): boolean {
  const ms = new Date(paidAt).getTime();
  if (Number.isNaN(ms) || ms % 60_000 !== 0) return false;
  if (new Date(ms).getUTCHours() === 0 && new Date(ms).getUTCMinutes() === 0) return true;
  const local = wallClockAt(zone, ms);
  return local.minute === 0 && local.second === 0 && (local.hour === 0 || local.hour === 12);
}
