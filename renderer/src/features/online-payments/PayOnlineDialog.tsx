import QRCode from 'qrcode';
import { useCallback, useEffect, useRef, useState } from 'react';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Icon } from '../../components/Icon.tsx';
import { formatRupiah } from '../../format/rupiah.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { estatePath, fileUrl } from '../../ledger/api.ts';
import { onlinePaymentApi, type OnlineCharge } from './api.ts';
import { PayByEwallet, walletName } from './PayByEwallet.tsx';
import { PayByVirtualAccount } from './PayByVirtualAccount.tsx';
import './online-payments.css';

/** A phone on estate Wi-Fi: often enough to feel instant, rare enough not to load the server with waiting phones. */
const POLL_MS = 3000;

interface Props {
  estateId: string;
  invoiceId: string;
  /** The bill's period as the resident reads it ("November 2026"). */
  periodLabel: string;
  methods: readonly string[];
  /** Banks of the unit's own virtual accounts, when the estate offers them. */
  vaBanks?: readonly string[];
  /** E-wallets a charge can go to, when the estate offers them. */
  ewalletChannels?: readonly string[];
  onClose: () => void;
  /** The bill was paid: the page re-reads its bills and receipts. */
  onPaid: () => void;
  /** The resident prefers the bank transfer with a proof. */
  onChooseTransfer: () => void;
}

function formatCountdown(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const mmss = `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
  return h > 0 ? `${h}:${mmss}` : mmss;
}

/**
 * "Bayar" on a bill: choose QRIS (or the bank transfer with a proof), then the QR drawn from the gateway's QR string
 * with the amount and a countdown, until the gateway confirms and the receipt can be downloaded. The charge is read
 * again every few seconds and at once when the estate's ledger changes, so the resident never has to reload.
 */
export function PayOnlineDialog({
  estateId,
  invoiceId,
  periodLabel,
  methods,
  vaBanks = [],
  ewalletChannels = [],
  onClose,
  onPaid,
  onChooseTransfer,
}: Props) {
  const { t } = useI18n();
  const [other, setOther] = useState<'va' | 'ewallet' | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const [charge, setCharge] = useState<OnlineCharge | null>(null);
  const [creating, setCreating] = useState(false);
  const [failure, setFailure] = useState<unknown>();
  const [qrImage, setQrImage] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());
  const paidReported = useRef(false);

  useEffect(() => {
    if (ref.current && !ref.current.open) ref.current.showModal();
  }, []);

  const create = async () => {
    setCreating(true);
    setFailure(undefined);
    try {
      setCharge(await onlinePaymentApi.createQris(estateId, [invoiceId]));
    } catch (err) {
      setFailure(err);
    } finally {
      setCreating(false);
    }
  };

  const chargeId = charge?.id;
  const status = charge?.status;
  const refresh = useCallback(async () => {
    if (!chargeId) return;
    try {
      setCharge(await onlinePaymentApi.portalCharge(estateId, chargeId));
    } catch {
      // A dropped poll on flaky Wi-Fi is retried by the next one.
    }
  }, [estateId, chargeId]);

  const waiting = status === 'pending' || status === 'creating';
  useEffect(() => {
    if (!waiting) return;
    const poll = setInterval(() => void refresh(), POLL_MS);
    const clock = setInterval(() => setNow(Date.now()), 1000);
    return () => {
      clearInterval(poll);
      clearInterval(clock);
    };
  }, [waiting, refresh]);
  useLiveChanges(waiting ? estateId : null, ['ledger'], () => void refresh());

  const qrString = charge?.qr_string ?? null;
  useEffect(() => {
    if (!qrString) {
      setQrImage(null);
      return;
    }
    let current = true;
    // Drawn here from the gateway's string, so no image of the QR passes through the server or a third party.
    QRCode.toDataURL(qrString, { errorCorrectionLevel: 'M', margin: 2, width: 480 })
      .then((url) => current && setQrImage(url))
      .catch(() => current && setQrImage(null));
    return () => {
      current = false;
    };
  }, [qrString]);

  useEffect(() => {
    if (status === 'paid' && !paidReported.current) {
      paidReported.current = true;
      onPaid();
    }
  }, [status, onPaid]);

  const close = () => {
    ref.current?.close();
    onClose();
  };

  const remaining = charge?.expires_at ? new Date(charge.expires_at).getTime() - now : null;
  const expired = status === 'expired' || (status === 'pending' && remaining !== null && remaining <= 0);

  return (
    <dialog
      ref={ref}
      className="card prompt-dialog pay-online"
      data-testid="pay-online"
      aria-labelledby="pay-online-title"
      onCancel={(e) => {
        e.preventDefault();
        close();
      }}
    >
      <h2 className="card__title" id="pay-online-title">
        {status === 'paid' ? t('online.paid_title') : t('online.choose_title', { period: periodLabel })}
      </h2>
      {failure ? <ErrorBanner error={failure} /> : null}

      {!charge && other === 'va' && <PayByVirtualAccount estateId={estateId} banks={vaBanks} />}
      {!charge && other === 'ewallet' && (
        <PayByEwallet estateId={estateId} invoiceId={invoiceId} channels={ewalletChannels} onCharge={setCharge} />
      )}
      {!charge && !other && (
        <>
          <p className="muted">{t('online.choose_hint')}</p>
          <div className="pay-online__methods">
            {methods.includes('qris') && (
              <button
                type="button"
                className="pay-online__method"
                data-testid="pay-method-qris"
                disabled={creating}
                onClick={() => void create()}
              >
                <strong>{t('online.method_qris')}</strong>
                <span className="muted">{creating ? t('online.creating') : t('online.method_qris_hint')}</span>
              </button>
            )}
            {methods.includes('va') && vaBanks.length > 0 && (
              <button type="button" className="pay-online__method" data-testid="pay-method-va" onClick={() => setOther('va')}>
                <strong>{t('online.method_va')}</strong>
                <span className="muted">{t('online.method_va_hint', { banks: vaBanks.join(', ') })}</span>
              </button>
            )}
            {methods.includes('ewallet') && ewalletChannels.length > 0 && (
              <button type="button" className="pay-online__method" data-testid="pay-method-ewallet" onClick={() => setOther('ewallet')}>
                <strong>{t('online.method_ewallet')}</strong>
                <span className="muted">{ewalletChannels.map(walletName).join(', ')}</span>
              </button>
            )}
            <button type="button" className="pay-online__method" data-testid="pay-method-transfer" onClick={onChooseTransfer}>
              <strong>{t('online.method_transfer')}</strong>
              <span className="muted">{t('online.method_transfer_hint')}</span>
            </button>
          </div>
        </>
      )}

      {charge && waiting && !expired && charge.provider === 'midtrans' && charge.checkout_url && (
        // Midtrans: the payment happens on its Snap page (in a new tab, so this dialog keeps watching the charge).
        <div className="pay-online__qr" data-testid="pay-checkout">
          <p className="pay-online__qr-title">{t('online.checkout_title')}</p>
          <div className="pay-online__amount">
            <span className="muted">{t('online.qr_amount')}</span>
            <strong data-testid="pay-checkout-amount">{formatRupiah(charge.amount)}</strong>
          </div>
          <a
            className="btn btn--primary btn--block"
            href={charge.checkout_url}
            target="_blank"
            rel="noopener noreferrer"
            data-testid="pay-checkout-link"
          >
            {t('online.checkout_open')}
          </a>
          {remaining !== null && (
            <p className="pay-online__countdown" aria-live="off">
              {t('online.qr_expires_in', { time: formatCountdown(remaining) })}
            </p>
          )}
          <p className="muted" role="status">
            {t('online.qr_waiting')}
          </p>
        </div>
      )}

      {charge && waiting && !expired && charge.method === 'ewallet' && (
        // An e-wallet: its own page to open (in a new tab, so this dialog keeps watching), or OVO's push to the app.
        <div className="pay-online__qr" data-testid="pay-ewallet-waiting">
          <p className="pay-online__qr-title">{walletName(charge.channel)}</p>
          <div className="pay-online__amount">
            <span className="muted">{t('online.qr_amount')}</span>
            <strong>{formatRupiah(charge.amount)}</strong>
          </div>
          {charge.checkout_url ? (
            <a
              className="btn btn--primary btn--block"
              href={charge.checkout_url}
              target="_blank"
              rel="noopener noreferrer"
              data-testid="pay-ewallet-link"
            >
              {t('online.ewallet_open', { wallet: walletName(charge.channel) })}
            </a>
          ) : (
            <p data-testid="pay-ovo-approve">{t('online.ovo_approve')}</p>
          )}
          <p className="muted" role="status">
            {t('online.qr_waiting')}
          </p>
        </div>
      )}

      {charge && waiting && !expired && charge.method !== 'ewallet' && !(charge.provider === 'midtrans' && charge.checkout_url) && (
        <div className="pay-online__qr" data-testid="pay-qr">
          <p className="pay-online__qr-title">{t('online.qr_title')}</p>
          {qrImage ? (
            <img
              className="pay-online__qr-image"
              src={qrImage}
              alt={t('online.qr_alt', { amount: formatRupiah(charge.amount) })}
              data-testid="pay-qr-image"
            />
          ) : (
            <div className="pay-online__qr-image pay-online__qr-image--empty" />
          )}
          <div className="pay-online__amount">
            <span className="muted">{t('online.qr_amount')}</span>
            <strong data-testid="pay-qr-amount">{formatRupiah(charge.amount)}</strong>
          </div>
          {remaining !== null && (
            <p className="pay-online__countdown" data-testid="pay-qr-countdown" aria-live="off">
              {t('online.qr_expires_in', { time: formatCountdown(remaining) })}
            </p>
          )}
          <p className="muted" role="status">
            {t('online.qr_waiting')}
          </p>
        </div>
      )}

      {charge && expired && (
        <div className="pay-online__ended" data-testid="pay-qr-expired">
          <p>{t('online.qr_expired')}</p>
          <button
            type="button"
            className="btn btn--primary btn--block"
            disabled={creating}
            onClick={() => {
              if (charge.method !== 'ewallet') return void create();
              setCharge(null);
              setOther('ewallet');
            }}
          >
            {t('online.qr_new')}
          </button>
        </div>
      )}
      {charge && status === 'failed' && <p className="banner banner--error">{t('online.qr_failed')}</p>}
      {charge && status === 'amount_mismatch' && <p className="banner banner--error">{t('online.qr_mismatch')}</p>}

      {charge && status === 'paid' && (
        <div className="pay-online__paid" data-testid="pay-paid" role="status">
          <p className="pay-online__paid-mark" aria-hidden="true">
            ✓
          </p>
          <p>{t('online.paid_text', { period: periodLabel })}</p>
          <p className="pay-online__amount">
            <strong>{formatRupiah(charge.amount)}</strong>
          </p>
          {charge.payment_id && (
            <a
              className="btn btn--primary btn--block"
              href={fileUrl(estatePath(estateId, `/portal/payments/${charge.payment_id}/receipt.pdf`), {})}
              download="kuitansi.pdf"
              data-testid="pay-receipt"
            >
              <Icon name="receipt" size={16} />
              {t('online.download_receipt')}
            </a>
          )}
        </div>
      )}

      <div className="prompt-dialog__actions">
        <button
          type="button"
          className="btn btn--secondary"
          data-testid="pay-online-close"
          onClick={!charge && other ? () => setOther(null) : close}
        >
          {status === 'paid' ? t('online.close') : t('online.back')}
        </button>
      </div>
    </dialog>
  );
}
