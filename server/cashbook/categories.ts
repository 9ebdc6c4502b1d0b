/**
 * Cash-book categories. The built-in ones cover what a treasurer of a perumahan records every month; the list is a
 * vocabulary for reports, not a closed enum, so an estate may use its own lowercase codes too.
 */
export const INCOME_CATEGORIES = ['iuran', 'donation', 'facility_rental', 'fine', 'other_income'] as const;
export const EXPENSE_CATEGORIES = [
  'guard_salary',
  'cleaner_salary',
  'electricity',
  'water',
  'repairs',
  'rw_share',
  'social',
  'event',
  'office',
  'credit_refund',
  'other_expense',
] as const;
/** Written by the system only: opening balances, transfers between accounts, reversals. */
export const SYSTEM_CATEGORIES = ['opening_balance', 'transfer', 'reversal'] as const;

export const CATEGORY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

export { ACCOUNT_KINDS, type AccountKind, BUILT_IN_ACCOUNT_NAMES } from '../../shared/cash-accounts.ts';
import type { AccountKind } from '../../shared/cash-accounts.ts';

export type PaymentMethod = 'cash' | 'bank_transfer' | 'qris' | 'ewallet' | 'other';

/**
 * Where money received by a given method lands. QRIS settles into the estate's bank account; "other" (e.g. a
 * cheque handed over in person) is counted as cash on hand until the treasurer moves it with a transfer.
 */
export function accountKindForMethod(method: string): AccountKind {
  switch (method) {
    case 'bank_transfer':
    case 'qris':
      return 'bank';
    case 'ewallet':
      return 'ewallet';
    default:
      return 'cash';
  }
}
