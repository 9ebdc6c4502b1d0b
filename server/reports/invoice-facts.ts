/**
 * An invoice reduced to what reports need. `paid` is the net of its allocations (reversed payments already
 * subtracted), `credited` the sum of its credit notes; a voided invoice bills nothing.
 */
export interface InvoiceFact {
  unit_id: string;
  period: string;
  total: number;
  paid: number;
  credited: number;
  voided: boolean;
}

export function billedOf(i: InvoiceFact): number {
  return i.voided ? 0 : i.total - i.credited;
}

export function outstandingOf(i: InvoiceFact): number {
  return i.voided ? 0 : Math.max(0, i.total - i.credited - i.paid);
}

/** What was paid against what was billed, never more than billed (an overpayment is the unit's credit, not this). */
export function collectedOf(i: InvoiceFact): number {
  return i.voided ? 0 : Math.min(Math.max(0, i.paid), i.total - i.credited);
}
