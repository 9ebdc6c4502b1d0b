import type { ReceiptItem } from './receipt-data.ts';

/**
 * What a payment paid, fee by fee: one receipt line per invoice line it covered, named with its period, so a resident
 * sees "Iuran Pengelolaan Lingkungan, November 2026" and "Keamanan, November 2026" instead of an invoice number.
 * Pure: the store reads the invoices, their lines, how much of each was paid before this payment and how much this
 * payment gave it.
 */
export interface PaidInvoice {
  number: string;
  /** Already in words, e.g. "November 2026". */
  period_label: string;
  kind: string;
  /** In the order the invoice lists them. */
  lines: { description: string; amount: number }[];
  /** Net of what earlier payments and credit put on this invoice before this payment. */
  paid_before: number;
  /** What this payment put on it. */
  allocated: number;
}

/**
 * An invoice's lines are settled in the order it lists them: earlier money covers the first lines, this payment the
 * next ones. A line this payment covers only in part says so. What no line explains (an invoice without lines, a
 * late fee) is one line for the invoice.
 */
export function receiptItemsFor(invoices: readonly PaidInvoice[]): ReceiptItem[] {
  const items: ReceiptItem[] = [];
  for (const inv of invoices) {
    let before = Math.max(0, inv.paid_before);
    let left = inv.allocated;
    for (const line of inv.lines) {
      if (left <= 0) break;
      if (line.amount <= 0) continue;
      const alreadyCovered = Math.min(before, line.amount);
      before -= alreadyCovered;
      const open = line.amount - alreadyCovered;
      if (open <= 0) continue;
      const paid = Math.min(open, left);
      left -= paid;
      const partly = alreadyCovered > 0 || paid < line.amount;
      items.push({ description: `${line.description}, ${inv.period_label}${partly ? ' (sebagian)' : ''}`, amount: paid });
    }
    if (left > 0) {
      const what = inv.kind === 'late_fee' ? 'Denda' : 'Tagihan';
      items.push({ description: `${what} ${inv.number}, ${inv.period_label}`, amount: left });
    }
  }
  return items;
}
