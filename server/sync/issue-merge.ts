import { sameFact } from './merge-policy.ts';

type Row = Record<string, unknown>;

/**
 * A dues invoice is a fact with one identity on every site (its id follows from the unit and the period, and so do
 * its lines' ids): two sites that bill the same month before they meet issue the same invoice, each with its own
 * number, billing run and time. These columns say how a site issued it; every other column is the fact itself.
 */
export const ISSUE_COLUMNS: Readonly<Record<string, readonly string[]>> = {
  invoices: ['number', 'billing_run_id', 'issue_date', 'created_by', 'created_at'],
  invoice_lines: ['created_at'],
};

/** Whether two versions of a row differ only in how they were issued (so one of them must be kept everywhere). */
export function differsOnlyInIssue(table: string, incoming: Row, held: Row): boolean {
  const issue = ISSUE_COLUMNS[table];
  if (!issue) return false;
  const fact = (row: Row) => Object.fromEntries(Object.entries(row).filter(([column]) => !issue.includes(column)));
  return sameFact(fact(incoming), fact(held));
}

/**
 * Of two issues of one fact, the one every site keeps: the earlier by creation time, then by number. It depends only on
 * the two rows, so each site decides the same whichever version it held first, and no clock value can promote a later
 * issue. Ties fall to the incoming row's order key, which is the held row's too when the rows are equal.
 */
export function incomingIssueWins(incoming: Row, held: Row): boolean {
  const key = (row: Row) => `${String(row.created_at ?? '')}\u0000${String(row.number ?? '')}`;
  return key(incoming) < key(held);
}
