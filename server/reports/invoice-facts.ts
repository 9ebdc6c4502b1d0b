import type { InvoiceSums } from '../ledger/index.ts';

/**
 * An invoice reduced to what reports need: its sums under the ledger's one balance rule (ledger/invoice-balance.ts),
 * whose outstanding, billed and collected amounts the reports use as they are.
 */
export interface InvoiceFact extends InvoiceSums {
  unit_id: string;
  period: string;
}

export { billedOf, collectedOf, outstandingOf } from '../ledger/index.ts';
