import type { ScopedStore } from '../db/scoped-store.ts';
import { readSetting, removeSetting, writeSetting } from './settings-store.ts';
import { bankAccountSchema, type BankAccount } from './schemas.ts';

const KEY = 'bank_account';

/** The estate's account residents transfer to, or null until the office saves one. */
export async function bankAccountSettings(store: ScopedStore): Promise<BankAccount | null> {
  return readSetting(store, KEY, bankAccountSchema);
}

export async function saveBankAccount(store: ScopedStore, account: BankAccount): Promise<BankAccount> {
  return writeSetting(store, KEY, account);
}

export async function removeBankAccount(store: ScopedStore): Promise<void> {
  await removeSetting(store, KEY);
}
