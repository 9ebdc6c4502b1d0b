import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { formatRupiah } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { CopyButton, grouped } from '../../ledger/portal/BankTransferDetails.tsx';
import { onlinePaymentApi, type VirtualAccount } from './api.ts';

/**
 * The unit's own account number at a bank: made the first time a resident picks that bank, then the same number for
 * good. Any transfer into it pays the unit's oldest bills, so it is shown with what the unit owes now, and, when the
 * resident bears the bank's fee, the fee and the amount to transfer: the fee comes off each transfer before it pays.
 */
export function PayByVirtualAccount({ estateId, banks }: { estateId: string; banks: readonly string[] }) {
  const { t } = useI18n();
  const list = useApiData((signal) => onlinePaymentApi.portalVirtualAccounts(estateId, signal), `${estateId}:virtual-accounts`);
  const [chosen, setChosen] = useState<VirtualAccount | null>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();

  const choose = async (bank: string) => {
    setBusy(bank);
    setFailure(undefined);
    try {
      setChosen(await onlinePaymentApi.createPortalVirtualAccount(estateId, bank));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(null);
    }
  };

  const account = chosen ?? null;
  // The bank's fee the resident adds to each transfer when the estate has residents bear it (0 when the estate does).
  const fee = account ? (list.data?.items.find((v) => v.bank === account.bank)?.fee_amount ?? account.fee_amount) : 0;
  return (
    <div className="pay-online__va" data-testid="pay-va">
      {failure ? <ErrorBanner error={failure} /> : null}
      {!account && (
        <>
          <p className="muted">{t('online.va_choose_bank')}</p>
          <div className="pay-online__banks">
            {banks.map((bank) => {
              const known = list.data?.items.find((v) => v.bank === bank && v.account_number);
              return (
                <button
                  key={bank}
                  type="button"
                  className="pay-online__method"
                  data-testid={`pay-va-bank-${bank}`}
                  disabled={busy !== null}
                  onClick={() => (known ? setChosen(known) : void choose(bank))}
                >
                  <strong>{bank}</strong>
                  <span className="muted">
                    {busy === bank ? t('online.va_creating') : known ? grouped(known.account_number ?? '') : t('online.va_new')}
                  </span>
                </button>
              );
            })}
          </div>
        </>
      )}
      {account && !account.account_number && <p role="status">{t('online.va_pending')}</p>}
      {account?.account_number && (
        <dl className="bank-details" data-testid="pay-va-details">
          <div className="bank-details__row">
            <dt>{t('portal.bank_name')}</dt>
            <dd data-testid="pay-va-bank">{account.bank}</dd>
          </div>
          <div className="bank-details__row">
            <dt>{t('online.va_number')}</dt>
            <dd className="bank-details__number" data-testid="pay-va-number">
              {grouped(account.account_number)}
            </dd>
            <CopyButton text={account.account_number} testId="pay-va-copy" />
          </div>
          {list.data && (
            <div className="bank-details__row">
              <dt>{t('online.va_due')}</dt>
              <dd data-testid="pay-va-due">{formatRupiah(list.data.amount_due)}</dd>
            </div>
          )}
          {list.data && fee > 0 && list.data.amount_due > 0 && (
            <>
              <div className="bank-details__row">
                <dt>{t('online.va_fee')}</dt>
                <dd data-testid="pay-va-fee">{formatRupiah(fee)}</dd>
              </div>
              <div className="bank-details__row">
                <dt>{t('online.va_transfer')}</dt>
                <dd data-testid="pay-va-transfer">
                  <strong>{formatRupiah(list.data.amount_due + fee)}</strong>
                </dd>
                <CopyButton text={String(list.data.amount_due + fee)} testId="pay-va-transfer-copy" />
              </div>
            </>
          )}
        </dl>
      )}
      {account?.account_number && (
        <p className="muted" data-testid="pay-va-hint">
          {fee > 0 ? t('online.va_hint_fee', { fee: formatRupiah(fee) }) : t('online.va_hint')}
        </p>
      )}
    </div>
  );
}
