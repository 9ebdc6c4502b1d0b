import { Badge } from '../components/Badge.tsx';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import type { PageProps } from '../faces/types.ts';
import { formatDay, formatPeriod } from '../format/date.ts';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import { Link } from '../router/Link.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { AccountCard, StatementLine } from '../../../server/ledger/account-card-schemas.ts';
import { api, estatePath, fileUrl } from './api.ts';
import { METHODS, methodKey } from './labels.ts';
import './ledger.css';

const kindKey = (kind: string) => `ledger.account_kind_${kind}` as MessageKey;

/**
 * A unit's account card: every bill and every rupiah paid, with the balance after each line, for a range of months.
 * The same page prints as the statement handed to the resident (print stylesheet in ledger.css).
 */
export default function AccountCardPage({ params }: PageProps) {
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const calendar = useEstateCalendar();
  const { can } = useSession();
  const [search, setSearch] = useSearchParams();
  const from = search.get('from') ?? '';
  const to = search.get('to') ?? '';
  const query = { from, to };
  const { data, error, reload } = useApiData(
    (signal) => api.get<AccountCard>(estatePath(estateId, `/units/${params.id}/account`), query, signal),
    JSON.stringify([estateId, params.id, query]),
  );

  const describe = (l: StatementLine) => {
    const what = t(kindKey(l.kind));
    const period = l.period ? ` · ${formatPeriod(l.period, locale)}` : '';
    // A payment's (and a refund's, when it has no reason) note is its method code; the others carry a typed reason.
    const note = l.note && (METHODS as readonly string[]).includes(l.note) ? t(methodKey(l.note)) : l.note;
    return { what, period, note };
  };
  const range =
    data && (data.from || data.to)
      ? `${data.from ? formatPeriod(data.from, locale) : t('ledger.account_beginning')} – ${data.to ? formatPeriod(data.to, locale) : t('ledger.account_now')}`
      : t('ledger.account_all_time');

  return (
    <div className="account-card">
      <PageHeader
        title={data ? t('ledger.account_title_unit', { unit: data.unit.code }) : t('ledger.account_title')}
        actions={
          <span className="no-print">
            {can('payments.write') && (
              <Link className="btn btn--ghost" href={`/payments/new?unit=${params.id}`}>
                {t('ledger.record_payment')}
              </Link>
            )}{' '}
            {can('reports.read') && (
              <a
                className="btn btn--ghost"
                href={fileUrl(estatePath(estateId, '/reports/account-card'), { unit_id: params.id, from, to, format: 'pdf' })}
                download
                data-testid="account-pdf"
              >
                {t('ledger.export_pdf')}
              </a>
            )}{' '}
            <button type="button" className="btn btn--primary" onClick={() => window.print()} data-testid="account-print">
              {t('ledger.account_print')}
            </button>
          </span>
        }
      />
      <div className="toolbar no-print">
        <label className="toolbar__label">
          {t('ledger.account_from')}
          <input
            className="input toolbar__block"
            type="month"
            aria-label={t('ledger.account_from')}
            value={from}
            max={to || undefined}
            onChange={(e) => setSearch({ from: e.target.value })}
          />
        </label>
        <label className="toolbar__label">
          {t('ledger.account_to')}
          <input
            className="input toolbar__block"
            type="month"
            aria-label={t('ledger.account_to')}
            value={to}
            min={from || undefined}
            onChange={(e) => setSearch({ to: e.target.value })}
          />
        </label>
      </div>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && (
        <>
          <section className="card account-card__head" data-testid="account-head">
            <div className="account-card__estate">{data.estate.name}</div>
            <h2 className="account-card__title">{t('ledger.account_statement')}</h2>
            <dl className="account-card__facts">
              <dt>{t('ledger.col_unit')}</dt>
              <dd>{data.unit.code}</dd>
              <dt>{t('ledger.col_resident')}</dt>
              <dd>{data.residents.map((r) => r.name).join(', ') || '–'}</dd>
              <dt>{t('ledger.col_period')}</dt>
              <dd>{range}</dd>
              <dt>{t('ledger.account_printed_on')}</dt>
              <dd>{calendar.formatDateTime(data.generated_at, locale)}</dd>
            </dl>
            <div className="account-card__totals">
              <div>
                <span>{t('ledger.account_opening')}</span>
                <strong data-testid="account-opening">{formatRupiah(data.opening_balance)}</strong>
              </div>
              <div>
                <span>{t('ledger.account_closing')}</span>
                <strong data-testid="account-closing">{formatRupiah(data.closing_balance)}</strong>
              </div>
              <div className="no-print">
                <span>{t('ledger.account_overdue')}</span>
                <strong className={data.overdue > 0 ? 'account-card__overdue' : undefined}>{formatRupiah(data.overdue)}</strong>
              </div>
              <div className="no-print">
                <span>{t('ledger.credit_total')}</span>
                <strong>{formatRupiah(data.credit)}</strong>
              </div>
            </div>
          </section>
          <div className="table-wrap">
            <table className="table account-card__table" data-testid="account-lines">
              <thead>
                <tr>
                  <th>{t('ledger.col_date')}</th>
                  <th>{t('ledger.account_col_description')}</th>
                  <th>{t('ledger.col_number')}</th>
                  <th className="num">{t('ledger.account_col_debit')}</th>
                  <th className="num">{t('ledger.account_col_credit')}</th>
                  <th className="num">{t('ledger.account_col_balance')}</th>
                </tr>
              </thead>
              <tbody>
                <tr className="account-card__opening">
                  <td />
                  <td>{t('ledger.account_opening')}</td>
                  <td />
                  <td />
                  <td />
                  <td className="num">{formatRupiah(data.opening_balance)}</td>
                </tr>
                {data.lines.map((l) => {
                  const d = describe(l);
                  return (
                    <tr key={`${l.kind}:${l.id}`} data-kind={l.kind}>
                      <td>{formatDay(l.date, locale)}</td>
                      <td>
                        {d.what}
                        {d.period}
                        {d.note ? <span className="table__muted"> · {d.note}</span> : null}
                        {l.overdue ? (
                          <>
                            {' '}
                            <Badge tone="red">{t('ledger.overdue')}</Badge>
                          </>
                        ) : null}
                      </td>
                      <td className="table__mono">
                        {l.invoice_id ? (
                          <Link href={`/invoices/${l.invoice_id}`}>{l.number}</Link>
                        ) : l.payment_id ? (
                          <Link href={`/payments/${l.payment_id}`}>{l.number}</Link>
                        ) : (
                          l.number
                        )}
                        {l.receipt_number ? (
                          <div className="table__muted">{t('ledger.receipt_no', { number: l.receipt_number })}</div>
                        ) : null}
                      </td>
                      <td className="num">{l.amount > 0 ? formatRupiah(l.amount) : ''}</td>
                      <td className="num">{l.amount < 0 ? formatRupiah(-l.amount) : ''}</td>
                      <td className="num" data-testid="account-balance">
                        {formatRupiah(l.balance)}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
              <tfoot>
                <tr>
                  <th />
                  <th>{t('ledger.account_closing')}</th>
                  <th />
                  <th className="num">{formatRupiah(data.total_debit)}</th>
                  <th className="num">{formatRupiah(data.total_credit)}</th>
                  <th className="num">{formatRupiah(data.closing_balance)}</th>
                </tr>
              </tfoot>
            </table>
            {data.lines.length === 0 && <p className="table__empty">{t('ledger.account_empty')}</p>}
          </div>
          <p className="account-card__note">{t('ledger.account_balance_note')}</p>
        </>
      )}
    </div>
  );
}
