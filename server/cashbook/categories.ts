import { BUILT_IN_CATEGORIES } from '../../shared/cash-categories.ts';

/**
 * Cash-book categories. The built-in ones (names in shared/cash-categories.ts) cover what a treasurer of a perumahan
 * records every month; an estate adds its own by name (`category-store.ts`), and entries accept only those two kinds.
 */
export const INCOME_CATEGORIES = BUILT_IN_CATEGORIES.filter((c) => c.direction === 'in').map((c) => c.code);
export const EXPENSE_CATEGORIES = BUILT_IN_CATEGORIES.filter((c) => c.direction === 'out').map((c) => c.code);
/** Written by the system only: opening balances, transfers between accounts, reversals. */
export const SYSTEM_CATEGORIES = ['opening_balance', 'transfer', 'reversal'] as const;

export const CATEGORY_PATTERN = /^[a-z][a-z0-9_]{1,39}$/;

/**
 * The code an estate category gets from the name typed for it: lowercase ASCII letters and digits joined by
 * underscores ("Iuran 17-an" → "iuran_17_an"), prefixed when it would not start with a letter, so it fits
 * CATEGORY_PATTERN. `taken` holds codes in use; a clash gets a numeric suffix instead of failing.
 */
export function categoryCodeFor(name: string, taken: ReadonlySet<string>): string {
  let base = name
    .normalize('NFD')
    .replace(/\p{M}+/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 32)
    .replace(/_+$/, '');
  if (!/^[a-z]/.test(base)) base = `k_${base}`.replace(/_+$/, '');
  if (base.length < 2) base = 'kategori';
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const code = `${base}_${n}`;
    if (!taken.has(code)) return code;
  }
}

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
