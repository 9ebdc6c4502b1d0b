import { Badge } from '../components/Badge.tsx';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Icon } from '../components/Icon.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pagination } from '../components/Pagination.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router/Link.tsx';
import { navigate, useSearchParams } from '../router/navigation.ts';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { api, estatePath, type Paged, type Payment } from './api.ts';
import { STATUS_TONE, methodKey, statusKey } from './labels.ts';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './ledger.css';

const PAGE = 50;

export default function PaymentsPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const [params, setParams] = useSearchParams();
  const offset = Number(params.get('offset') ?? 0) || 0;
  const { data, error, reload } = useApiData(
    (signal) => api.get<Paged<Payment>>(estatePath(estateId, '/payments'), { limit: PAGE, offset }, signal),
    `${estateId}:${offset}`,
  );
  return (
    <>
      <PageHeader
        title={t('ledger.payments_title')}
        actions={
          can('payments.write') && (
            <Link className="btn btn--primary" href="/payments/new">
              <Icon name="plus" size={18} />
              {t('ledger.record_payment')}
            </Link>
          )
        }
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <div className="table-wrap">
        <table className="table table--clickable">
          <thead>
            <tr>
              <th>{t('ledger.col_number')}</th>
              <th>{t('ledger.col_unit')}</th>
              <th>{t('ledger.col_date')}</th>
              <th>{t('ledger.col_method')}</th>
              <th className="num">{t('ledger.col_amount')}</th>
              <th>{t('ledger.col_status')}</th>
            </tr>
          </thead>
          <tbody>
            {data?.items.map((p) => (
              <tr key={p.id} onClick={() => navigate(`/payments/${p.id}`)}>
                <td className="table__mono">
                  <Link href={`/payments/${p.id}`} onClick={(e) => e.stopPropagation()}>
                    {p.payment_number}
                  </Link>
                </td>
                <td>{p.unit_code}</td>
                <td>{calendar.formatPaidAt(p.paid_at, locale)}</td>
                <td>{t(methodKey(p.method))}</td>
                <td className="num">{formatRupiah(p.amount)}</td>
                <td>
                  <Badge tone={STATUS_TONE[p.status]}>{t(statusKey(p.status))}</Badge>
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
