import { describe, expect, it } from 'vitest';
import { catalogs, type MessageKey } from '../i18n/messages.ts';
import { accountName } from './account-name.ts';

const tIn = (language: 'id' | 'en') => (key: MessageKey) => {
  const [ns, name] = key.split('.') as [keyof typeof catalogs.id, string];
  return (catalogs[language][ns] as Record<string, string>)[name] ?? key;
};

describe('accountName', () => {
  it('shows an account the system created in the user language', () => {
    expect(accountName({ name: 'Kas Tunai', kind: 'cash' }, tIn('en'))).toBe('Cash on hand');
    expect(accountName({ name: 'Rekening Bank', kind: 'bank' }, tIn('en'))).toBe('Bank account');
    expect(accountName({ name: 'Dompet Digital', kind: 'ewallet' }, tIn('en'))).toBe('E-wallet');
    expect(accountName({ name: 'Kas Tunai', kind: 'cash' }, tIn('id'))).toBe('Kas Tunai');
  });

  it('shows a name the treasurer typed exactly as typed', () => {
    expect(accountName({ name: 'Bank BRI', kind: 'bank' }, tIn('en'))).toBe('Bank BRI');
    // The built-in name of another kind is the treasurer's choice, not the system's account.
    expect(accountName({ name: 'Kas Tunai', kind: 'bank' }, tIn('en'))).toBe('Kas Tunai');
  });
});
