import { minRupiah, subRupiah, sumRupiah, ZERO_RUPIAH, type Rupiah } from '../money/rupiah.ts';

/**
 * How money meets invoices. Pure, so the same rules run in the payment service, the billing run (credit applied
 * to new invoices) and the property tests.
 */
export interface OpenInvoice {
  id: string;
  /** Sorts oldest first: the period, then the invoice number. */
  sort_key: string;
  outstanding: Rupiah;
}

export interface Allocation {
  invoice_id: string;
  amount: Rupiah;
}

export class AllocationError extends Error {
  constructor(
    readonly code: 'INVOICE_NOT_OPEN' | 'INVALID_AMOUNT' | 'CREDIT_REFUNDED',
    message: string,
    readonly invoiceId?: string,
  ) {
    super(message);
  }
}

function oldestFirst(invoices: OpenInvoice[]): OpenInvoice[] {
  return [...invoices].sort((a, b) => (a.sort_key < b.sort_key ? -1 : a.sort_key > b.sort_key ? 1 : a.id < b.id ? -1 : 1));
}

/**
 * Spreads `amount` over the oldest unpaid invoices first, or only over `chosenIds` when the treasurer picked
 * invoices (still oldest of those first). What is left over becomes the unit's credit (saldo titipan); picking
 * invoices never spills money onto invoices the treasurer did not pick.
 */
export function allocateToOldestInvoices(
  amount: Rupiah,
  open: OpenInvoice[],
  chosenIds?: string[] | null,
): { allocations: Allocation[]; excess: Rupiah } {
  if (!Number.isSafeInteger(amount) || amount < 0) throw new AllocationError('INVALID_AMOUNT', 'amount must be ≥ 0');
  let candidates = open.filter((inv) => inv.outstanding > 0);
  if (chosenIds && chosenIds.length) {
    const byId = new Map(candidates.map((inv) => [inv.id, inv]));
    const picked: OpenInvoice[] = [];
    for (const id of new Set(chosenIds)) {
      const inv = byId.get(id);
      if (!inv) throw new AllocationError('INVOICE_NOT_OPEN', `invoice ${id} is not open for this unit`, id);
      picked.push(inv);
    }
    candidates = picked;
  }
  const allocations: Allocation[] = [];
  let left = amount;
  for (const inv of oldestFirst(candidates)) {
    if (left <= 0) break;
    const take = minRupiah(left, inv.outstanding);
    allocations.push({ invoice_id: inv.id, amount: take });
    left = subRupiah(left, take);
  }
  return { allocations, excess: left };
}

/** Credit (saldo titipan) applied to open invoices oldest first; never more than the credit or the debt. */
export function applyCreditToInvoices(credit: Rupiah, open: OpenInvoice[]): { allocations: Allocation[]; used: Rupiah } {
  if (credit <= 0) return { allocations: [], used: ZERO_RUPIAH };
  const { allocations, excess } = allocateToOldestInvoices(credit, open);
  return { allocations, used: subRupiah(credit, excess) };
}

/** An allocation row still in force, with its id so a reversing row can point at it. */
export interface LiveAllocation {
  allocation_id: string;
  invoice_id: string;
  amount: Rupiah;
}

/**
 * Undoing a payment: every allocation it still holds is reversed, and the rest of its amount (which went to credit,
 * directly or when an invoice it paid was voided) leaves the credit balance. If that credit was already spent on
 * later invoices, the newest credit allocations are clawed back just far enough that credit never goes negative —
 * those invoices become unpaid again, which is the truth once the money is gone.
 */
export function planPaymentReversal(input: {
  amount: Rupiah;
  paymentAllocations: LiveAllocation[];
  creditBalance: Rupiah;
  /** Live allocations funded from credit, in any order; the newest (largest id) are clawed back first. */
  creditAllocations: LiveAllocation[];
}): { reverse: LiveAllocation[]; clawback: LiveAllocation[]; creditRemoved: Rupiah; creditReturned: Rupiah } {
  const held = sumRupiah(input.paymentAllocations.map((a) => a.amount));
  const creditRemoved = subRupiah(input.amount, held);
  const clawback: LiveAllocation[] = [];
  let shortfall = subRupiah(creditRemoved, input.creditBalance);
  const newestFirst = [...input.creditAllocations].sort((a, b) => (a.allocation_id < b.allocation_id ? 1 : -1));
  for (const a of newestFirst) {
    if (shortfall <= 0) break;
    const take = minRupiah(shortfall, a.amount);
    clawback.push({ allocation_id: a.allocation_id, invoice_id: a.invoice_id, amount: take });
    shortfall = subRupiah(shortfall, take);
  }
  if (shortfall > 0) {
    // Part of the money already left as a credit refund: undoing the payment would need money that is gone.
    // Refuse rather than write a negative balance; the treasurer records the refund's return first.
    throw new AllocationError('CREDIT_REFUNDED', 'the credit from this payment has already been refunded');
  }
  return {
    reverse: input.paymentAllocations.filter((a) => a.amount > 0),
    clawback,
    creditRemoved,
    creditReturned: sumRupiah(clawback.map((a) => a.amount)),
  };
}
