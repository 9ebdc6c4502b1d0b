import { Badge } from '../components/Badge.tsx';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import type { PageProps } from '../faces/types.ts';
import { formatDay, formatPeriod } from '../format/date.ts';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router/Link.tsx';
import { useEstateId } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { InvoiceDetail } from '../../../server/ledger/billing-schemas.ts';
import { api, estatePath } from './api.ts';
import { STATUS_TONE, statusKey } from './labels.ts';
import './ledger.css';

/** One invoice: what it bills line by line, and which payments (with their receipts) or credit paid it. */
export default function InvoiceDetailPage({ params }: PageProps) {
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const calendar = useEstateCalendar();
  const {
    data: inv,
    error,
    reload,
  } = useApiData(
    (signal) => api.get<InvoiceDetail>(estatePath(estateId, `/invoices/${params.id}`), undefined, signal),
    `${estateId}:${params.id}`,
  );
  if (error) return <ErrorBanner error={error} onRetry={reload} />;
  if (!inv) return null;
  return (
    <>
      <PageHeader
        title={t('ledger.invoice_title', { number: inv.number })}
        subtitle={`${inv.unit_code ?? ''} · ${formatPeriod(inv.period, locale)}`}
        actions={
          <Link className="btn btn--ghost" href={`/units/${inv.unit_id}/account`}>
            {t('ledger.account_card')}
          </Link>
        }
      />
      <section className="card" data-testid="invoice-summary">
        <dl className="account-card__facts">
          <dt>{t('ledger.col_status')}</dt>
          <dd>
            <Badge tone={STATUS_TONE[inv.status] ?? 'grey'}>{t(statusKey(inv.status))}</Badge>{' '}
            {inv.overdue ? <Badge tone="red">{t('ledger.overdue')}</Badge> : null}
          </dd>
          <dt>{t('ledger.col_due')}</dt>
          <dd>{formatDay(inv.due_date, locale)}</dd>
          <dt>{t('ledger.col_total')}</dt>
          <dd>{formatRupiah(inv.total)}</dd>
          <dt>{t('ledger.col_outstanding')}</dt>
          <dd data-testid="invoice-outstanding">{formatRupiah(inv.outstanding)}</dd>
        </dl>
      </section>
      <h2 className="section-title">{t('ledger.invoice_lines')}</h2>
      <div className="table-wrap">
        <table className="table" data-testid="invoice-lines">
          <thead>
            <tr>
              <th>{t('ledger.description')}</th>
              <th className="num">{t('ledger.invoice_quantity')}</th>
              <th className="num">{t('ledger.invoice_unit_amount')}</th>
              <th className="num">{t('ledger.col_amount')}</th>
            </tr>
          </thead>
          <tbody>
            {inv.lines.map((l) => (
              <tr key={l.id}>
                <td>{l.description}</td>
                <td className="num">{l.quantity}</td>
                <td className="num">{formatRupiah(l.unit_amount)}</td>
                <td className="num">{formatRupiah(l.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      <h2 className="section-title">{t('ledger.invoice_payments')}</h2>
      <div className="table-wrap">
        <table className="table" data-testid="invoice-payments">
          <thead>
            <tr>
              <th>{t('ledger.col_date')}</th>
              <th>{t('ledger.col_number')}</th>
              <th>{t('ledger.receipt')}</th>
              <th className="num">{t('ledger.col_amount')}</th>
            </tr>
          </thead>
          <tbody>
            {inv.allocations.map((a) => (
              <tr key={a.id}>
                <td>{calendar.formatDateTime(a.created_at, locale)}</td>
                <td className="table__mono">
                  {a.payment_id ? <Link href={`/payments/${a.payment_id}`}>{a.payment_number}</Link> : t('ledger.invoice_from_credit')}
                </td>
                <td className="table__mono">
                  {a.payment_id && a.receipt_number ? <Link href={`/payments/${a.payment_id}`}>{a.receipt_number}</Link> : ''}
                </td>
                <td className="num">{formatRupiah(a.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        {inv.allocations.length === 0 && <p className="table__empty">{t('ledger.invoice_no_payments')}</p>}
      </div>
      {inv.adjustments.length > 0 && (
        <>
          <h2 className="section-title">{t('ledger.invoice_adjustments')}</h2>
          <ul className="plain-list">
            {inv.adjustments.map((a) => (
              <li key={a.id}>
                {t(a.kind === 'void' ? 'ledger.account_kind_void' : 'ledger.account_kind_credit_note')}
                {a.kind === 'credit_note' ? ` ${formatRupiah(a.amount)}` : ''} · {a.reason} ·{' '}
                {calendar.formatDateTime(a.created_at, locale)}
              </li>
            ))}
          </ul>
        </>
      )}
    </>
  );
}
