/** The kinds of account money sits in: cash on hand, a bank account, an e-wallet balance. */
export type AccountKind = 'cash' | 'bank' | 'ewallet';
export const ACCOUNT_KINDS: readonly AccountKind[] = ['cash', 'bank', 'ewallet'];

/**
 * The name an account gets when the system creates it on first use. The renderer recognises a built-in account by this
 * name and its kind, and shows it in the user's language; a name the treasurer typed is shown as typed.
 */
export const BUILT_IN_ACCOUNT_NAMES: Readonly<Record<AccountKind, string>> = {
  cash: 'Kas Tunai',
  bank: 'Rekening Bank',
  ewallet: 'Dompet Digital',
};
