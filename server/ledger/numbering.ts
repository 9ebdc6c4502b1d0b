import type { Period } from '../calendar/calendar.ts';

/**
 * Human numbers. They are separate from ids (which are UUIDs) and unique per estate: invoices count per period,
 * payments per estate-local day, each site of the estate on its own counters. A site's code sits right after the
 * series prefix (INV-B/2026/11/0042, PAY-B20261121001); the estate's first site has the empty code, so its numbers
 * read as they always have (INV/2026/11/0042, PAY20261121001). Past 9999 invoices in a month or 999 payments in a day
 * the counter simply grows a digit, so numbers stay unique and still sort within their width.
 */

/**
 * One or two capital letters, without I and O: a treasurer reads numbers out loud and they are copied from paper,
 * where I and O pass for 1 and 0. Empty is the estate's first site.
 */
export const SITE_CODE = /^(?:[A-HJ-NP-Z]{1,2})?$/;
const CODE_PART = '(?:-([A-HJ-NP-Z]{1,2}))?';

export function isSiteCode(code: unknown): code is string {
  return typeof code === 'string' && SITE_CODE.test(code);
}

const CODE_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';

/**
 * The first code none of `taken` uses, never the empty one: a site that joins an estate later (the hosted instance
 * when an office desktop pairs) must not count on the first site's counters, and the empty code may already be on
 * paper. `A` comes first, for "awan" (the cloud); then the other letters, then two letters.
 */
export function firstFreeSiteCode(taken: Iterable<string>): string {
  const used = new Set(taken);
  for (const a of CODE_LETTERS) if (!used.has(a)) return a;
  for (const a of CODE_LETTERS) for (const b of CODE_LETTERS) if (!used.has(a + b)) return a + b;
  throw new RangeError('no site code left');
}

function assertSite(site: string): string {
  if (!isSiteCode(site)) throw new RangeError(`bad site code: ${site}`);
  return site ? `-${site}` : '';
}

export function formatInvoiceNumber(period: Period, seq: number, site = ''): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad invoice sequence: ${seq}`);
  return `INV${assertSite(site)}/${period.slice(0, 4)}/${period.slice(5, 7)}/${String(seq).padStart(4, '0')}`;
}

const INVOICE_NUMBER = new RegExp(`^INV${CODE_PART}/(\\d{4})/(\\d{2})/(\\d{4,})$`);

export function parseInvoiceNumber(number: string): { site: string; period: Period; seq: number } | null {
  const m = INVOICE_NUMBER.exec(number);
  if (!m) return null;
  return { site: m[1] ?? '', period: `${m[2]}-${m[3]}` as Period, seq: Number(m[4]) };
}

/** `localDate` is the estate-local "YYYY-MM-DD" the payment was recorded on. */
export function formatPaymentNumber(localDate: string, seq: number, site = ''): string {
  if (!Number.isSafeInteger(seq) || seq < 1) throw new RangeError(`bad payment sequence: ${seq}`);
  return `PAY${assertSite(site)}${localDate.replace(/-/g, '')}${String(seq).padStart(3, '0')}`;
}

const PAYMENT_NUMBER = new RegExp(`^PAY${CODE_PART}(\\d{4})(\\d{2})(\\d{2})(\\d{3,})$`);

export function parsePaymentNumber(number: string): { site: string; localDate: string; seq: number } | null {
  const m = PAYMENT_NUMBER.exec(number);
  if (!m) return null;
  return { site: m[1] ?? '', localDate: `${m[2]}-${m[3]}-${m[4]}`, seq: Number(m[5]) };
}

/**
 * The counter names in the `sequences` table. The empty code keeps the names counters have always had, so an
 * existing database continues its series; another site's counters carry its code.
 */
export function invoiceSequenceName(period: Period, site = ''): string {
  return site ? `invoice:${site}:${period}` : `invoice:${period}`;
}

export function paymentSequenceName(localDate: string, site = ''): string {
  return site ? `payment:${site}:${localDate}` : `payment:${localDate}`;
}

/** The counter a number was minted from, or null when it is not an invoice or payment number. */
export function sequenceOfNumber(number: string): { name: string; site: string; seq: number } | null {
  const inv = parseInvoiceNumber(number);
  if (inv) return { name: invoiceSequenceName(inv.period, inv.site), site: inv.site, seq: inv.seq };
  const pay = parsePaymentNumber(number);
  if (pay) return { name: paymentSequenceName(pay.localDate, pay.site), site: pay.site, seq: pay.seq };
  return null;
}
