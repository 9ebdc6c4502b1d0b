import { useState, type FormEvent } from 'react';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../../components/Field.tsx';
import { FilterSelect } from '../../components/FilterSelect.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { formatRupiah } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { methodKey } from '../../ledger/labels.ts';
import { Link } from '../../router/Link.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { CHARGE_STATUSES, onlinePaymentApi } from './api.ts';

type OfficeCharge = Awaited<ReturnType<typeof onlinePaymentApi.charges>>['items'][number];

const PROVIDER_NAME: Record<string, string> = { xendit: 'Xendit', midtrans: 'Midtrans' };
const REFUND_FIELDS = ['amount', 'reason'] as const;
const REFUND_TONE: Record<string, BadgeTone> = { requesting: 'amber', refunded: 'grey', failed: 'red' };

/** A paid charge that the office may still send back through the gateway that took it. */
const refundable = (c: OfficeCharge) =>
  c.payment_id !== null && c.refund === null && (c.status === 'paid' || c.status === 'amount_mismatch');

const TONE: Record<string, BadgeTone> = {
  creating: 'grey',
  pending: 'amber',
  paid: 'green',
  expired: 'grey',
  failed: 'red',
  amount_mismatch: 'red',
};
const statusKey = (s: string) => `online.status_${s}` as MessageKey;

/** Residents' online charges, newest first, with the payment each one became. */
export function OnlineChargesCard({ estateId }: { estateId: string }) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const [status, setStatus] = useState('');
  const { can } = useSession();
  const { data, error, reload } = useApiData((signal) => onlinePaymentApi.charges(estateId, status, signal), `${estateId}:${status}`);
  const [refunding, setRefunding] = useState<OfficeCharge | null>(null);
  const [done, setDone] = useState<string | null>(null);
  // A charge paid while the page is open turns paid here too.
  useLiveChanges(estateId, ['ledger'], reload);
  return (
    <section className="card" data-testid="online-charges">
      <h2 className="card__title">{t('online.charges_title')}</h2>
      <p className="muted">{t('online.charges_hint')}</p>
      <div className="toolbar">
        <FilterSelect
          label={t('online.col_status')}
          allLabel={t('online.filter_all')}
          value={status}
          values={CHARGE_STATUSES}
          optionLabel={(s) => t(statusKey(s))}
          onChange={setStatus}
        />
      </div>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && data.items.length === 0 && <p data-testid="online-charges-empty">{t('online.charges_none')}</p>}
      {data && data.items.length > 0 && (
        <div className="table-wrap">
          <table className="table">
            <thead>
              <tr>
                <th>{t('online.col_created')}</th>
                <th>{t('online.col_unit')}</th>
                <th>{t('online.col_method')}</th>
                <th className="num">{t('online.col_amount')}</th>
                <th>{t('online.col_status')}</th>
                <th>{t('online.col_payment')}</th>
                <th>{t('online.col_refund')}</th>
              </tr>
            </thead>
            <tbody>
              {data.items.map((c) => (
                <tr key={c.id} data-testid="online-charge-row" data-status={c.status}>
                  <td>{calendar.formatDateTime(c.created_at, locale)}</td>
                  <td>
                    <Link href={`/units/${c.unit_id}/account`}>{c.unit_code ?? '–'}</Link>
                  </td>
                  <td>{t(methodKey(c.method))}</td>
                  <td className="num">{formatRupiah(c.amount)}</td>
                  <td>
                    <Badge tone={TONE[c.status] ?? 'grey'}>{t(statusKey(c.status))}</Badge>
                  </td>
                  <td>
                    {c.payment_id ? (
                      <Link href={`/payments/${c.payment_id}`}>{calendar.formatDateTime(c.paid_at ?? c.created_at, locale)}</Link>
                    ) : (
                      '–'
                    )}
                  </td>
                  <td>
                    {c.refund ? (
                      <span title={c.refund.reason}>
                        <Badge tone={REFUND_TONE[c.refund.status] ?? 'grey'}>
                          {c.refund.status === 'refunded'
                            ? t('online.refund_refunded', { amount: formatRupiah(c.refund.amount) })
                            : t(`online.refund_${c.refund.status}` as MessageKey)}
                        </Badge>
                      </span>
                    ) : can('payments.reverse') && refundable(c) ? (
                      <button
                        type="button"
                        className="btn btn--ghost btn--small"
                        data-testid="online-charge-refund"
                        onClick={() => {
                          setDone(null);
                          setRefunding(c);
                        }}
                      >
                        {t('online.refund')}
                      </button>
                    ) : (
                      '–'
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {done && (
        <div className="banner banner--success" role="status" data-testid="online-refund-done">
          {done}
        </div>
      )}
      {refunding && (
        <RefundForm
          estateId={estateId}
          charge={refunding}
          onCancel={() => setRefunding(null)}
          onDone={(text) => {
            setRefunding(null);
            setDone(text);
            reload();
          }}
        />
      )}
    </section>
  );
}

/**
 * Sending an online payment back: the whole of it unless an amount is typed, always with a reason, with what will
 * happen to the money and the books said before the button.
 */
function RefundForm({
  estateId,
  charge,
  onCancel,
  onDone,
}: {
  estateId: string;
  charge: OfficeCharge;
  onCancel: () => void;
  onDone: (text: string) => void;
}) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const form = useApiForm(REFUND_FIELDS);
  const [amount, setAmount] = useState('');
  const [reason, setReason] = useState('');
  const typed = amount.trim() ? Number(amount.replace(/\./g, '')) : null;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!allFieldsValid(e)) return;
    void form.submit(async () => {
      const refund = await onlinePaymentApi.refund(estateId, charge.id, { reason, ...(typed ? { amount: typed } : {}) });
      onDone(t('online.refund_done', { amount: formatRupiah(refund.amount), reason: refund.reason }));
    });
  };
  return (
    <form className="card form" onSubmit={submit} noValidate style={{ marginTop: 16 }} data-testid="online-refund-form">
      <h2 className="card__title">{t('online.refund_title', { unit: charge.unit_code ?? '–' })}</h2>
      <p>
        {t('online.refund_paid', {
          amount: formatRupiah(charge.amount - charge.fee_amount),
          method: t(methodKey(charge.method)),
          date: calendar.formatDateTime(charge.paid_at ?? charge.created_at, locale),
        })}
      </p>
      <p className="muted">{t('online.refund_effect', { provider: PROVIDER_NAME[charge.provider] ?? charge.provider })}</p>
      <div className="ledger-form">
        <Field label={t('online.refund_amount')} hint={t('online.refund_amount_hint')} error={form.fieldErrors.amount}>
          <input
            className="input"
            name="amount"
            inputMode="numeric"
            pattern="[0-9.]*"
            value={amount}
            onChange={(e) => {
              setAmount(e.target.value);
              form.clearField('amount');
            }}
          />
        </Field>
        <Field label={t('online.refund_reason')} required error={form.fieldErrors.reason}>
          <input
            className="input"
            name="reason"
            required
            minLength={3}
            maxLength={300}
            value={reason}
            onChange={(e) => {
              setReason(e.target.value);
              form.clearField('reason');
            }}
          />
        </Field>
      </div>
      {form.formError ? <ErrorBanner error={form.formError} /> : null}
      <div className="ledger-actions">
        <button type="submit" className="btn btn--danger" disabled={form.submitting} data-testid="online-refund-submit">
          {typed ? t('online.refund_submit', { amount: formatRupiah(typed) }) : t('online.refund_submit_all')}
        </button>
        <button type="button" className="btn btn--ghost" onClick={onCancel}>
          {t('common.cancel')}
        </button>
      </div>
    </form>
  );
}
