/**
 * What approving a transfer would pay, shown before the treasurer approves: oldest invoice first, the rest as
 * credit. The server decides the real allocation (allocation.ts); this mirrors its default rule for the preview only.
 */
export interface OpenInvoice {
  id: string;
  period: string;
  number: string;
  outstanding: number;
}

export function allocateOldestFirst(invoices: readonly OpenInvoice[], amount: number): { byInvoice: Map<string, number>; credit: number } {
  const byInvoice = new Map<string, number>();
  let left = Math.max(0, Math.trunc(amount));
  const ordered = [...invoices].sort((a, b) => (a.period === b.period ? (a.number < b.number ? -1 : 1) : a.period < b.period ? -1 : 1));
  for (const inv of ordered) {
    if (left <= 0) break;
    const paid = Math.min(left, inv.outstanding);
    if (paid > 0) byInvoice.set(inv.id, paid);
    left -= paid;
  }
  return { byInvoice, credit: left };
}
