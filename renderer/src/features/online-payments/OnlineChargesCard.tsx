import { useState } from 'react';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { FilterSelect } from '../../components/FilterSelect.tsx';
import { formatRupiah } from '../../format/rupiah.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { methodKey } from '../../ledger/labels.ts';
import { Link } from '../../router/Link.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { CHARGE_STATUSES, onlinePaymentApi } from './api.ts';

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
  const { data, error, reload } = useApiData((signal) => onlinePaymentApi.charges(estateId, status, signal), `${estateId}:${status}`);
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
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
