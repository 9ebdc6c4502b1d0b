/**
 * A unit's account card as a statement: every money fact of the unit as one dated line that raises (+) or lowers (−)
 * what the unit owes, in date order, with a running balance. Positive balance = the unit owes; negative = credit.
 *
 * The lines add up to the balance the rest of the ledger derives (outstanding − credit, invoice-balance.ts's rule):
 * an invoice bills its total, a credit note lowers it, a void takes back what the invoice still billed (total −
 * credited), a payment lowers the balance by its whole amount (what did not pay an invoice is credit), a reversal
 * puts it back and a refund pays credit out. Pure: no database, tested beside it.
 */
export type StatementKind = 'invoice' | 'credit_note' | 'void' | 'payment' | 'reversal' | 'refund';

export interface StatementFact {
  kind: StatementKind;
  /** The estate-local date the fact belongs to (YYYY-MM-DD). */
  date: string;
  /** Signed: + raises what the unit owes, − lowers it. */
  amount: number;
  /** Ties on one date: when it was recorded, then its id. */
  recorded_at: string;
  id: string;
  invoice_id: string | null;
  payment_id: string | null;
  number: string | null;
  receipt_number: string | null;
  /** The billed month of the invoice the line belongs to, when it belongs to one. */
  period: string | null;
  /** Reason of a void, credit note or reversal; method of a payment or refund. */
  note: string | null;
  /** An invoice line whose invoice still owes something after its due date (the estate's today). */
  overdue: boolean;
}

export interface StatementLine extends StatementFact {
  balance: number;
}

export interface Statement {
  opening_balance: number;
  closing_balance: number;
  total_debit: number;
  total_credit: number;
  lines: StatementLine[];
}

// On one day the bills come before what settles them (a billing run and the payment at the counter that morning);
// everything else in the order it was recorded, so a reversal follows its payment and a refund the credit it pays out.
export function compareFacts(a: StatementFact, b: StatementFact): number {
  if (a.date !== b.date) return a.date < b.date ? -1 : 1;
  const billA = a.kind === 'invoice' ? 0 : 1;
  const billB = b.kind === 'invoice' ? 0 : 1;
  if (billA !== billB) return billA - billB;
  if (a.recorded_at !== b.recorded_at) return a.recorded_at < b.recorded_at ? -1 : 1;
  return a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

/** Facts before `from` make the opening balance; facts after `to` are left out; dates are YYYY-MM-DD, inclusive. */
export function buildStatement(facts: StatementFact[], range: { from?: string; to?: string }): Statement {
  const sorted = [...facts].sort(compareFacts);
  let balance = 0;
  let opening = 0;
  let debit = 0;
  let credit = 0;
  const lines: StatementLine[] = [];
  for (const f of sorted) {
    if (range.to && f.date > range.to) break;
    balance += f.amount;
    if (range.from && f.date < range.from) {
      opening = balance;
      continue;
    }
    if (f.amount > 0) debit += f.amount;
    else credit -= f.amount;
    lines.push({ ...f, balance });
  }
  return { opening_balance: opening, closing_balance: balance, total_debit: debit, total_credit: credit, lines };
}
