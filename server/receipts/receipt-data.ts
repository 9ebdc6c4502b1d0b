import { DateTime } from 'luxon';
import { paidOnDateOnly } from '../../shared/paid-at.ts';

/**
 * Everything a receipt (kuitansi) shows, gathered once and rendered as PDF, thermal slip or the public verify
 * page. The verify page shows exactly this and nothing more.
 */
export interface ReceiptItem {
  description: string;
  amount: number;
}

export interface ReceiptData {
  estate: { name: string; address: string | null; rt: string | null; rw: string | null };
  receipt_number: string;
  payment_number: string;
  unit_code: string;
  payer_name: string | null;
  items: ReceiptItem[];
  amount: number;
  amount_words: string;
  method: string;
  reference: string | null;
  paid_at: string;
  timezone: string;
  received_by: string | null;
  status: 'valid' | 'reversed';
  verify_url: string;
}

export interface PrintMark {
  /** 1 for the original; every later print is a copy. */
  print_number: number;
  /** A look at the receipt that is not a counted print (a download, the portal): a copy without a number. */
  unrecorded?: boolean;
}

const METHOD_LABELS: Record<string, string> = {
  cash: 'Tunai',
  bank_transfer: 'Transfer bank',
  qris: 'QRIS',
  ewallet: 'Dompet digital',
  other: 'Lainnya',
};

export function methodLabel(method: string): string {
  return METHOD_LABELS[method] ?? method;
}

export function copyLabel(mark: PrintMark): string | null {
  if (mark.unrecorded) return 'SALINAN / COPY';
  return mark.print_number > 1 ? `SALINAN / COPY ke-${mark.print_number - 1}` : null;
}

/**
 * "21 November 2026 14.05" in the estate's time zone, or just "21 November 2026" for a payment entered by its date
 * (shared/paid-at.ts: the one rule every screen and paper uses).
 */
export function localPaidAt(data: Pick<ReceiptData, 'paid_at' | 'timezone'>): string {
  const local = DateTime.fromISO(data.paid_at, { zone: 'utc' }).setZone(data.timezone).setLocale('id');
  return local.toFormat(paidOnDateOnly(data.paid_at, data.timezone) ? 'd LLLL yyyy' : 'd LLLL yyyy HH.mm');
}

export function periodLabel(period: string): string {
  return DateTime.fromISO(`${period}-01`, { zone: 'utc' }).setLocale('id').toFormat('LLLL yyyy');
}

export function estateLine(estate: ReceiptData['estate']): string {
  const rtrw = estate.rt || estate.rw ? `RT ${estate.rt ?? '-'} / RW ${estate.rw ?? '-'}` : '';
  return [estate.address, rtrw].filter(Boolean).join(', ');
}

/** Receipt numbers follow the payment's: PAY20261121001 → KW20261121001, unique because payment numbers are. */
export function receiptNumberFor(paymentNumber: string): string {
  return paymentNumber.startsWith('PAY') ? `KW${paymentNumber.slice(3)}` : `KW-${paymentNumber}`;
}
