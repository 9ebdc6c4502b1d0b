import { useState } from 'react';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useLiveChanges } from '../hooks/useLiveChanges.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router/Link.tsx';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import { api, estatePath } from './api.ts';
import type { NoticeAnswer } from '../../../server/ledger/notice-schemas.ts';

/**
 * The treasurer's open reconciliation notices (a payment that became credit because its invoice was already paid,
 * e.g. paid online on the hosted instance while the office took cash). Shown only while one is open, and only to
 * the roles that may read them, so the dashboard stays quiet otherwise.
 */
export function LedgerNoticesPanel() {
  const { can } = useSession();
  if (!can('ledger.notices')) return null;
  return <OpenNotices />;
}

function OpenNotices() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();
  const { data, error, reload } = useApiData(
    (signal) => api.get<{ items: NoticeAnswer[] }>(estatePath(estateId, '/ledger/notices'), { open: '1' }, signal),
    estateId,
  );
  // A notice raised by sync or by another office PC appears without reloading.
  useLiveChanges(estateId, ['ledger'], reload);
  const acknowledge = async (id: string) => {
    setBusy(id);
    setFailure(undefined);
    try {
      await api.post(estatePath(estateId, `/ledger/notices/${id}/acknowledge`));
      reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(null);
    }
  };
  if (error) return <ErrorBanner error={error} onRetry={reload} />;
  if (!data || data.items.length === 0) return null;
  return (
    <section className="card ledger-notices" data-testid="ledger-notices" aria-live="polite">
      <h2 className="card__title">{t('notices.title')}</h2>
      <p className="muted">{t('notices.hint')}</p>
      {failure ? <ErrorBanner error={failure} /> : null}
      <ul className="ledger-notices__list">
        {data.items.map((n) => (
          <li key={n.id} className="ledger-notices__item" data-notice-id={n.id}>
            <div className="ledger-notices__text">
              <span>{noticeText(n, t)}</span>
              <small className="muted">
                {t('notices.raised_at', { when: calendar.formatDateTime(n.created_at, locale) })}
                {n.payment_id ? (
                  <>
                    {' · '}
                    <Link href={`/payments/${n.payment_id}`}>{n.payment_number ?? n.payment_id}</Link>
                  </>
                ) : null}
              </small>
            </div>
            <button type="button" className="btn btn--ghost" disabled={busy === n.id} onClick={() => acknowledge(n.id)}>
              {t('notices.acknowledge')}
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** A gateway's other amount reads as what the payment did with it: the excess kept as credit, or the rest still owing. */
function noticeText(n: NoticeAnswer, t: ReturnType<typeof useI18n>['t']): string {
  if (n.kind === 'amount_mismatch') {
    const expected = Number(n.details?.expected ?? 0);
    const paid = n.amount ?? 0;
    return t(paid > expected ? 'notices.amount_mismatch_over' : 'notices.amount_mismatch_under', {
      unit: n.unit_code ?? '–',
      payment: n.payment_number ?? '–',
      paid: formatRupiah(paid),
      expected: formatRupiah(expected),
      difference: formatRupiah(Math.abs(paid - expected)),
    });
  }
  return t('notices.overpayment', {
    unit: n.unit_code ?? '–',
    payment: n.payment_number ?? '–',
    amount: formatRupiah(n.amount ?? 0),
    invoice: n.invoice_number ?? '–',
  });
}
