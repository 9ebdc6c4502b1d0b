import type { Period } from '../calendar/calendar.ts';

/**
 * Human numbers. They are separate from ids (which are UUIDs) and unique per estate: invoices count per period,
 * payments per estate-local day. Past 9999 invoices in a month or 999 payments in a day the counter simply grows
 * a digit, so numbers stay unique and still sort within their width.
 */
export function formatInvoiceNumber(period: Period, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad invoice sequence: ${seq}`);
  return `INV/${period.slice(0, 4)}/${period.slice(5, 7)}/${String(seq).padStart(4, '0')}`;
}

export function parseInvoiceNumber(number: string): { period: Period; seq: number } | null {
  const m = /^INV\/(\d{4})\/(\d{2})\/(\d{4,})$/.exec(number);
  if (!m) return null;
  return { period: `${m[1]}-${m[2]}` as Period, seq: Number(m[3]) };
}

/** `localDate` is the estate-local "YYYY-MM-DD" the payment was recorded on. */
export function formatPaymentNumber(localDate: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad payment sequence: ${seq}`);
  return `PAY${localDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
}

export function parsePaymentNumber(number: string): { localDate: string; seq: number } | null {
  const m = /^PAY(\d{4})(\d{2})(\d{2})(\d{3,})$/.exec(number);
  if (!m) return null;
  return { localDate: `${m[1]}-${m[2]}-${m[3]}`, seq: Number(m[4]) };
}

/** The counter names in the `sequences` table. */
export function invoiceSequenceName(period: Period): string {
  return `invoice:${period}`;
}

export function paymentSequenceName(localDate: string): string {
  return `payment:${localDate}`;
}
