import { useEffect, useState } from 'react';
import { Badge } from '../components/Badge.tsx';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { SearchBox } from '../components/SearchBox.tsx';
import { useDebouncedValue } from '../hooks/useDebouncedValue.ts';
import { Link } from '../router/Link.tsx';
import { usePromptDialog } from '../components/PromptDialog.tsx';
import { Pagination } from '../components/Pagination.tsx';
import { formatDay, formatPeriod } from '../format/date.ts';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { api, estatePath, type Invoice, type Paged } from './api.ts';
import { STATUS_TONE, statusKey } from './labels.ts';
import './ledger.css';

const PAGE = 50;
const STATUSES = ['unpaid', 'partial', 'paid', 'void'] as const;

export default function InvoicesPage() {
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? '';
  const status = params.get('status') ?? '';
  const q = params.get('q') ?? '';
  const overdue = params.get('overdue') === 'true';
  const offset = Number(params.get('offset') ?? 0) || 0;
  const query = { period, status, q, overdue: overdue ? 'true' : '', limit: PAGE, offset };
  const [searchText, setSearchText] = useState(q);
  const settledSearch = useDebouncedValue(searchText);
  useEffect(() => {
    if (settledSearch.trim() !== q) setParams({ q: settledSearch.trim(), offset: undefined });
    // Only a settled change of the input moves the URL; the URL changing by itself (back button) must not loop.
  }, [settledSearch]);
  const { data, error, reload } = useApiData(
    (signal) => api.get<Paged<Invoice>>(estatePath(estateId, '/invoices'), query, signal),
    JSON.stringify([estateId, query]),
  );

  const { ask, dialog } = usePromptDialog();
  const [actionError, setActionError] = useState<unknown>(null);
  const voidInvoice = async (inv: Invoice) => {
    // Takes a bill away for good: red, and the button says what it does.
    const reason = await ask(t('ledger.void_reason_prompt'), {
      tone: 'danger',
      confirmLabel: t('ledger.void_confirm'),
      title: t('ledger.void_confirm_title', { number: inv.number, amount: formatRupiah(inv.total) }),
      text: t('ledger.void_confirm_text'),
      maxLength: 500,
    });
    if (!reason) return;
    setActionError(null);
    try {
      await api.post(estatePath(estateId, `/invoices/${inv.id}/void`), { reason });
      reload();
    } catch (e) {
      setActionError(e);
    }
  };

  return (
    <>
      <PageHeader title={t('ledger.invoices_title')} />
      {dialog}
      {actionError ? <ErrorBanner error={actionError} /> : null}
      <div className="toolbar">
        <SearchBox label={t('common.search')} placeholder={t('ledger.invoice_search')} value={searchText} onChange={setSearchText} />
        <input
          className="input toolbar__block"
          type="month"
          aria-label={t('ledger.period')}
          value={period}
          onChange={(e) => setParams({ period: e.target.value, offset: undefined })}
        />
        <select
          className="input toolbar__select"
          aria-label={t('ledger.col_status')}
          value={status}
          onChange={(e) => setParams({ status: e.target.value, offset: undefined })}
        >
          <option value="">{t('ledger.all_statuses')}</option>
          {STATUSES.map((s) => (
            <option key={s} value={s}>
              {t(statusKey(s))}
            </option>
          ))}
        </select>
        <label className="toolbar__check">
          <input
            type="checkbox"
            checked={overdue}
            onChange={(e) => setParams({ overdue: e.target.checked ? 'true' : undefined, offset: undefined })}
          />
          {t('ledger.only_overdue')}
        </label>
        <span className="toolbar__count">{data ? t('common.total_count', { total: data.total }) : ''}</span>
      </div>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="invoices">
          <thead>
            <tr>
              <th>{t('ledger.col_number')}</th>
              <th>{t('ledger.col_unit')}</th>
              <th>{t('ledger.col_period')}</th>
              <th>{t('ledger.col_due')}</th>
              <th className="num">{t('ledger.col_total')}</th>
              <th className="num">{t('ledger.col_outstanding')}</th>
              <th>{t('ledger.col_status')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.items.map((inv) => (
              <tr key={inv.id}>
                <td className="table__mono">
                  <Link href={`/invoices/${inv.id}`}>{inv.number}</Link>
                </td>
                <td>
                  <Link href={`/units/${inv.unit_id}/account`} title={t('ledger.account_card')}>
                    {inv.unit_code ?? ''}
                  </Link>
                </td>
                <td>{formatPeriod(inv.period, locale)}</td>
                <td>{formatDay(inv.due_date, locale)}</td>
                <td className="num">{formatRupiah(inv.total)}</td>
                <td className="num">{formatRupiah(inv.outstanding)}</td>
                <td>
                  <Badge tone={STATUS_TONE[inv.status] ?? 'grey'}>{t(statusKey(inv.status))}</Badge>
                  {inv.overdue ? (
                    <>
                      {' '}
                      <Badge tone="red">{t('ledger.overdue')}</Badge>
                    </>
                  ) : null}
                </td>
                <td>
                  {can('invoices.void') && inv.status !== 'void' && inv.paid === 0 && (
                    <button type="button" className="btn btn--ghost btn--small" onClick={() => voidInvoice(inv)}>
                      {t('ledger.void_invoice')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {data && data.total > PAGE && (
        <Pagination total={data.total} limit={PAGE} offset={offset} onOffset={(next) => setParams({ offset: next })} />
      )}
    </>
  );
}
