import { describe, expect, it } from 'vitest';
import { differsOnlyInIssue, incomingIssueWins } from './issue-merge.ts';

const office = {
  id: 'inv-1',
  unit_id: 'u1',
  period: '2026-10',
  total: 100000,
  number: 'INV/2026/10/0001',
  billing_run_id: 'run-office',
  issue_date: '2026-11-30',
  created_by: 'user-office',
  created_at: '2026-11-30T12:25:10.924Z',
};
const hosted = {
  ...office,
  total: '100000',
  number: 'INV-A/2026/10/0001',
  billing_run_id: 'run-hosted',
  created_by: 'user-hosted',
  created_at: '2026-11-30T12:25:10.988Z',
};

describe('one issue of an invoice billed on two sites', () => {
  it('sees two issues of the same dues invoice, but not a different amount, unit or period', () => {
    expect(differsOnlyInIssue('invoices', hosted, office)).toBe(true);
    expect(differsOnlyInIssue('invoices', { ...hosted, total: 1 }, office)).toBe(false);
    expect(differsOnlyInIssue('invoices', { ...hosted, unit_id: 'u2' }, office)).toBe(false);
    expect(differsOnlyInIssue('invoice_lines', { id: 'l1', amount: 5, created_at: 'b' }, { id: 'l1', amount: 5, created_at: 'a' })).toBe(
      true,
    );
    expect(differsOnlyInIssue('payments', { id: 'p1', number: 'A' }, { id: 'p1', number: 'B' })).toBe(false);
  });

  it('keeps the earlier issue on whichever site decides', () => {
    expect(incomingIssueWins(office, hosted)).toBe(true);
    expect(incomingIssueWins(hosted, office)).toBe(false);
    // Issued in the same millisecond: the number decides, the same way on both sites.
    expect(incomingIssueWins({ ...hosted, created_at: office.created_at }, office)).toBe(true);
    expect(incomingIssueWins(office, { ...hosted, created_at: office.created_at })).toBe(false);
    expect(incomingIssueWins(office, office)).toBe(false);
  });
});
