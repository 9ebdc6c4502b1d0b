import { builtInCategory } from '../../../shared/cash-categories.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { accountName } from './account-name.ts';
import { formatDay, formatPeriod } from '../format/date.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useEstateId } from '../session/SessionProvider.tsx';
import { api, estatePath, type CollectionMonth, type MonthlyReport, type MonthlySection } from './api.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { formatPercent } from './labels.ts';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './ledger.css';

/** A category in words: built-in ones in the reader's language, the estate's own as the server names them (as typed). */
function useCategoryLabel(): (c: { category: string; label: string }) => string {
  const { locale } = useI18n();
  const lang = locale.startsWith('en') ? 'en' : 'id';
  return (c) => builtInCategory(c.category)?.[lang] ?? c.label;
}

function Section({ title, s }: { title: string; s: MonthlySection }) {
  const { t } = useI18n();
  const label = useCategoryLabel();
  return (
    <section className="card">
      <h3 className="card__title">{title}</h3>
      <table className="table table--compact">
        <tbody>
          <tr>
            <th>{t('ledger.opening')}</th>
            <td className="num">{formatRupiah(s.opening)}</td>
          </tr>
          {s.receipts.map((c) => (
            <tr key={`r-${c.category}`}>
              <td>+ {label(c)}</td>
              <td className="num">{formatRupiah(c.amount)}</td>
            </tr>
          ))}
          <tr>
            <th>{t('ledger.receipts')}</th>
            <td className="num">{formatRupiah(s.total_receipts)}</td>
          </tr>
          {s.spending.map((c) => (
            <tr key={`s-${c.category}`}>
              <td>− {label(c)}</td>
              <td className="num">{formatRupiah(c.amount)}</td>
            </tr>
          ))}
          <tr>
            <th>{t('ledger.spending')}</th>
            <td className="num">{formatRupiah(s.total_spending)}</td>
          </tr>
          <tr>
            <th>{t('ledger.closing')}</th>
            <td className="num">
              <strong>{formatRupiah(s.closing)}</strong>
            </td>
          </tr>
        </tbody>
      </table>
    </section>
  );
}

export default function ReportsPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const [params, setParams] = useSearchParams();
  const period = params.get('period') ?? calendar.period();
  const year = Number(period.slice(0, 4));
  const monthlyPath = estatePath(estateId, '/reports/monthly');
  const collectionPath = estatePath(estateId, '/reports/collection');
  const monthly = useApiData((signal) => api.get<MonthlyReport>(monthlyPath, { period }, signal), `${estateId}:${period}`);
  const categoryLabel = useCategoryLabel();
  const accountsById = new Map(monthly.data?.accounts.map((a) => [a.account_id, a]));
  const collection = useApiData(
    (signal) => api.get<{ months: CollectionMonth[] }>(collectionPath, { year }, signal),
    `${estateId}:${year}`,
  );
  return (
    <>
      <PageHeader title={t('ledger.reports_title')} />
      <h2>{t('ledger.monthly_report')}</h2>
      <div className="ledger-actions">
        <input
          className="input input--small"
          style={{ maxWidth: 180 }}
          type="month"
          aria-label={t('ledger.period')}
          value={period}
          onChange={(e) => e.target.value && setParams({ period: e.target.value })}
        />
        <ExportButtons path={monthlyPath} query={{ period }} />
      </div>
      {monthly.error ? <ErrorBanner error={monthly.error} onRetry={monthly.reload} /> : null}
      {monthly.data && (
        <div className="ledger-grid" data-testid="monthly-report">
          <Section title={t('ledger.all_accounts')} s={monthly.data.total} />
          {monthly.data.accounts.map((a) => (
            <Section key={a.account_id} title={accountName(a, t)} s={a} />
          ))}
        </div>
      )}
      {monthly.data && monthly.data.transactions.length > 0 && (
        <div className="table-wrap" style={{ marginBottom: 16 }}>
          <table className="table table--compact" data-testid="monthly-transactions">
            <thead>
              <tr>
                <th>{t('ledger.col_date')}</th>
                <th>{t('ledger.col_account')}</th>
                <th>{t('ledger.col_category')}</th>
                <th>{t('ledger.col_description')}</th>
                <th className="num">{t('ledger.col_in')}</th>
                <th className="num">{t('ledger.col_out')}</th>
              </tr>
            </thead>
            <tbody>
              {monthly.data.transactions.map((x, i) => {
                const account = accountsById.get(x.account_id);
                return (
                  <tr key={`${x.entry_date}-${i}`}>
                    <td>{formatDay(x.entry_date, locale)}</td>
                    <td>{account ? accountName(account, t) : x.account}</td>
                    <td>{categoryLabel(x)}</td>
                    <td>{x.description}</td>
                    <td className="num">{x.direction === 'in' ? formatRupiah(x.amount) : ''}</td>
                    <td className="num">{x.direction === 'out' ? formatRupiah(x.amount) : ''}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      <h2>
        {t('ledger.collection_report')} {year}
      </h2>
      <div className="ledger-actions">
        <ExportButtons path={collectionPath} query={{ year }} />
      </div>
      {collection.data && (
        <div className="table-wrap">
          <table className="table table--compact">
            <thead>
              <tr>
                <th>{t('ledger.col_period')}</th>
                <th className="num">{t('ledger.billed')}</th>
                <th className="num">{t('ledger.collected')}</th>
                <th className="num">{t('ledger.col_outstanding')}</th>
                <th className="num">{t('ledger.rate')}</th>
              </tr>
            </thead>
            <tbody>
              {collection.data.months.map((m) => (
                <tr key={m.period}>
                  <td>{formatPeriod(m.period, locale)}</td>
                  <td className="num">{formatRupiah(m.billed)}</td>
                  <td className="num">{formatRupiah(m.collected)}</td>
                  <td className="num">{formatRupiah(m.outstanding)}</td>
                  <td className="num">{formatPercent(m.rate)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
