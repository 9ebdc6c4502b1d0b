import crypto from 'node:crypto';

/**
 * A UUID (version 8, RFC 9562) derived from a name, for rows whose identity is a fact rather than an event: the
 * dues invoice of unit U for period P is the same invoice on every machine that bills it, so two offline copies
 * of the ledger cannot both issue it under different ids.
 */
// One-shot hashing (Node ≥ 20.12) skips building a Hash object per id; a billing run derives tens of thousands.
const sha256 = (text: string): Buffer =>
  typeof crypto.hash === 'function' ? crypto.hash('sha256', text, 'buffer') : crypto.createHash('sha256').update(text).digest();

export function deterministicId(...parts: string[]): string {
  const bytes = sha256(parts.join('\u001f')).subarray(0, 16);
  bytes[6] = (bytes[6] & 0x0f) | 0x80;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = bytes.toString('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * The id of an invoice's line: derived from the invoice (the same month billed on two sites gives the same lines) and
 * sorting in the invoice's own order, since receipts and invoices list lines by id. The first 24 characters follow
 * from the invoice; the last 12 hex digits are the line's position, and a late fee, keyed on the invoice it is charged
 * for, sorts after every dues line.
 */
export function invoiceLineId(invoiceId: string, line: number | { lateFeeFor: string }): string {
  return invoiceLineIds(invoiceId)(line);
}

/** `invoiceLineId` for several lines of one invoice, deriving the invoice's part once. */
export function invoiceLineIds(invoiceId: string): (line: number | { lateFeeFor: string }) => string {
  const prefix = deterministicId('invoice_line', invoiceId).slice(0, 24);
  return (line) => {
    if (typeof line === 'number') return prefix + line.toString(16).padStart(12, '0');
    return `${prefix}f${sha256(line.lateFeeFor).toString('hex').slice(0, 11)}`;
  };
}
