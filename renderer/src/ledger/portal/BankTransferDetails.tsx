import { useState } from 'react';
import type { BankAccountAnswer } from '../../../../server/settings/schemas.ts';
import { Icon } from '../../components/Icon.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { api, estatePath } from '../api.ts';

/**
 * The portal is opened at the estate's LAN address over plain http, where browsers withhold the Clipboard API; the
 * older copy command still works there from a tap.
 */
async function copyText(text: string): Promise<boolean> {
  try {
    if (navigator.clipboard && window.isSecureContext) {
      await navigator.clipboard.writeText(text);
      return true;
    }
  } catch {
    // fall through to the copy command
  }
  const area = document.createElement('textarea');
  area.value = text;
  area.setAttribute('readonly', '');
  area.style.position = 'fixed';
  area.style.opacity = '0';
  document.body.appendChild(area);
  area.select();
  try {
    return document.execCommand('copy');
  } finally {
    area.remove();
  }
}

export function CopyButton({ text, testId }: { text: string; testId: string }) {
  const { t } = useI18n();
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  return (
    <>
      <button
        type="button"
        className="btn btn--secondary bank-details__copy"
        data-testid={testId}
        onClick={() => void copyText(text).then((ok) => setState(ok ? 'copied' : 'failed'))}
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} size={16} />
        {t(state === 'copied' ? 'portal.copied' : 'portal.copy')}
      </button>
      {state === 'failed' && (
        <p className="bank-details__copy-failed" role="status">
          {t('portal.copy_failed')}
        </p>
      )}
    </>
  );
}

/** Bank-app style: the number in groups of four, easier to compare digit by digit with what was typed. */
export const grouped = (digits: string) => digits.replace(/(\d{4})(?=\d)/g, '$1 ');

/** Where a resident is asked to transfer: the estate's account as the office saved it, each part copyable. */
export function BankTransferDetails({ estateId }: { estateId: string }) {
  const { t } = useI18n();
  const { data } = useApiData(
    (signal) => api.get<BankAccountAnswer>(estatePath(estateId, '/portal/bank-account'), undefined, signal),
    `${estateId}:bank-account`,
  );
  if (!data) return null;
  const account = data.bank_account;
  if (!account) {
    return (
      <p className="bank-missing" data-testid="bank-missing">
        {t('portal.bank_missing')}
      </p>
    );
  }
  return (
    <dl className="bank-details" data-testid="bank-details">
      <div className="bank-details__row">
        <dt>{t('portal.bank_name')}</dt>
        <dd data-testid="bank-name">{account.bank_name}</dd>
      </div>
      <div className="bank-details__row">
        <dt>{t('portal.bank_account_number')}</dt>
        <dd className="bank-details__number" data-testid="bank-account-number">
          {grouped(account.account_number)}
        </dd>
        <CopyButton text={account.account_number} testId="bank-copy-number" />
      </div>
      <div className="bank-details__row">
        <dt>{t('portal.bank_account_holder')}</dt>
        <dd data-testid="bank-account-holder">{account.account_holder}</dd>
      </div>
    </dl>
  );
}
