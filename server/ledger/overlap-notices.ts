import type { ScopedStore } from '../db/scoped-store.ts';
import { invoiceBalancesQuery, overflowByAllocation, type InvoiceSums } from './invoice-balance.ts';
import { liveAllocations } from './ledger-store.ts';
import { raiseLedgerNotice } from './notices.ts';

/**
 * Tells the treasurer about invoices that hold more allocations than they bill: two sites took money for the same
 * invoice while apart (cash at the office, online on the hosted instance). The books need no change (the overflow is
 * the unit's credit by invoice-balance.ts's rule); the treasurer gets one 'overpayment' notice per payment whose money
 * became credit, keyed on invoice and payment, so the site that sees it first raises it and the other site's raising
 * meets the same row. Returns how many notices this call wrote.
 */
export async function noticeOverpaidInvoices(store: ScopedStore, invoiceIds: readonly string[]): Promise<number> {
  let raised = 0;
  const ids = [...new Set(invoiceIds)];
  for (let i = 0; i < ids.length; i += 200) {
    const rows = (await invoiceBalancesQuery(store, (q) => q.whereIn('i.id', ids.slice(i, i + 200)))) as Record<string, unknown>[];
    for (const row of rows) {
      const sums: InvoiceSums = {
        total: Number(row.total),
        paid: Number(row.paid),
        credited: Number(row.credited),
        voided: row.voided_at != null,
      };
      const billed = sums.voided ? 0 : sums.total - sums.credited;
      if (sums.paid <= Math.max(0, billed)) continue;
      const invoiceId = row.id as string;
      for (const a of overflowByAllocation(sums, await liveAllocations(store, { invoiceId }))) {
        const written = await raiseLedgerNotice(store, {
          kind: 'overpayment',
          unitId: row.unit_id as string,
          invoiceId,
          paymentId: a.payment_id ?? undefined,
          amount: a.excess,
          dedupeKey: `overpayment:${invoiceId}:${a.payment_id ?? `credit:${a.allocation_id}`}`,
          details: { invoice_total: sums.total, invoice_billed: Math.max(0, billed), allocated: sums.paid },
        });
        if (written) raised++;
      }
    }
  }
  return raised;
}
