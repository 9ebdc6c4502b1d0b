import { BUILT_IN_ACCOUNT_NAMES, type AccountKind } from '../../../shared/cash-accounts.ts';
import type { MessageKey } from '../i18n/messages.ts';

/**
 * The system names the accounts it creates in Indonesian; those are shown in the user's language. An account the
 * treasurer named (or renamed) is theirs and is shown exactly as typed.
 */
export function accountName(account: { name: string; kind: string }, t: (key: MessageKey) => string): string {
  const builtIn = BUILT_IN_ACCOUNT_NAMES[account.kind as AccountKind];
  return builtIn !== undefined && account.name === builtIn ? t(`ledger.account_builtin_${account.kind}` as MessageKey) : account.name;
}
