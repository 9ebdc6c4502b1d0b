import { useState } from 'react';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { onlinePaymentApi, type OnlineCharge } from './api.ts';

const WALLET_NAMES: Record<string, string> = { OVO: 'OVO', DANA: 'DANA', SHOPEEPAY: 'ShopeePay', LINKAJA: 'LinkAja' };
export const walletName = (channel: string | null | undefined) => (channel ? (WALLET_NAMES[channel] ?? channel) : '');

/**
 * Choosing an e-wallet makes a charge for the bill. OVO sends the payment to the app of a phone number, so it asks for
 * the number first; the others answer with a page of the wallet to open.
 */
export function PayByEwallet({
  estateId,
  invoiceId,
  channels,
  onCharge,
}: {
  estateId: string;
  invoiceId: string;
  channels: readonly string[];
  onCharge: (charge: OnlineCharge) => void;
}) {
  const { t } = useI18n();
  const [ovo, setOvo] = useState(false);
  const [phone, setPhone] = useState('');
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();

  const create = async (channel: string, mobileNumber?: string) => {
    setBusy(channel);
    setFailure(undefined);
    try {
      onCharge(await onlinePaymentApi.createEwallet(estateId, [invoiceId], channel, mobileNumber));
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <div className="pay-online__ewallet" data-testid="pay-ewallet">
      {failure ? <ErrorBanner error={failure} /> : null}
      {!ovo ? (
        <div className="pay-online__banks">
          {channels.map((channel) => (
            <button
              key={channel}
              type="button"
              className="pay-online__method"
              data-testid={`pay-ewallet-${channel}`}
              disabled={busy !== null}
              onClick={() => (channel === 'OVO' ? setOvo(true) : void create(channel))}
            >
              <strong>{walletName(channel)}</strong>
              {busy === channel && <span className="muted">{t('online.ewallet_creating')}</span>}
            </button>
          ))}
        </div>
      ) : (
        <form
          className="form"
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            void create('OVO', phone.replace(/[\s-]/g, ''));
          }}
        >
          <Field label={t('online.ovo_phone')} hint={t('online.ovo_phone_hint')} required>
            <input
              className="input"
              name="mobile_number"
              type="tel"
              inputMode="tel"
              autoComplete="tel"
              placeholder="0812 3456 7890"
              value={phone}
              onChange={(e) => setPhone(e.target.value)}
              data-testid="pay-ovo-phone"
            />
          </Field>
          <button
            type="submit"
            className="btn btn--primary btn--block"
            disabled={busy !== null || !phone.trim()}
            data-testid="pay-ovo-send"
          >
            {busy ? t('online.ewallet_creating') : t('online.ovo_send')}
          </button>
        </form>
      )}
    </div>
  );
}
