import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { accountName } from './account-name.ts';
import { formatPeriod } from '../format/date.ts';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { Link } from '../router/Link.tsx';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import { api, estatePath, type Dashboard } from './api.ts';
import { BilledCollectedChart } from './BilledCollectedChart.tsx';
import { LedgerNoticesPanel } from './LedgerNoticesPanel.tsx';
import { formatPercent } from './labels.ts';
import './ledger.css';
import './dashboard.css';

const FIRST_STEPS = [
  { key: 'units', href: '/import', title: 'dashboard.step_units', body: 'dashboard.step_units_body' },
  { key: 'fee_types', href: '/fee-types', title: 'dashboard.step_fees', body: 'dashboard.step_fees_body' },
  { key: 'invoices', href: '/billing', title: 'dashboard.step_billing', body: 'dashboard.step_billing_body' },
] as const;

/** A new estate sees the way to its first bill instead of a page of zeros. */
function FirstSteps({ setup }: { setup: Dashboard['setup'] }) {
  const { t } = useI18n();
  return (
    <section className="card first-steps" data-testid="dashboard-first-steps">
      <h2 className="card__title">{t('dashboard.start_title')}</h2>
      <p className="muted">{t('dashboard.start_body')}</p>
      <ol className="first-steps__list">
        {FIRST_STEPS.map((step, i) => {
          const done = setup[step.key] > 0;
          return (
            <li
              key={step.key}
              className={`first-steps__step${done ? ' first-steps__step--done' : ''}`}
              data-step={step.key}
              data-done={done}
            >
              <span className="first-steps__number">{done ? `✓ ${t('dashboard.step_done')}` : `${i + 1}`}</span>
              <h3>{t(step.title)}</h3>
              <p className="muted">{t(step.body)}</p>
              <Link href={step.href} className={`btn ${done ? 'btn--ghost' : 'btn--primary'}`}>
                {t(step.title)}
              </Link>
            </li>
          );
        })}
      </ol>
    </section>
  );
}

/** A failed or missing backup is the one thing on this page that can cost every other figure on it. */
function BackupWarning({ state }: { state: Dashboard['backup']['state'] }) {
  const { t } = useI18n();
  const { can } = useSession();
  if (state !== 'failed' && state !== 'missing') return null;
  return (
    <p className="banner banner--error" role="alert" data-testid="backup-warning">
      {t(state === 'failed' ? 'backups.dashboard_failed' : 'backups.dashboard_missing')}{' '}
      {can('installation.write') && <Link href="/settings/backups">{t('backups.dashboard_open')}</Link>}
    </p>
  );
}

/** After the office restored a backup, everyone reading the figures should know which day they come from. */
function RestoredNotice({ restored }: { restored: Dashboard['backup']['restored_from'] }) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  if (!restored) return null;
  return (
    <p className="banner" role="status" data-testid="restored-notice">
      {t('backups.dashboard_restored', {
        restored: calendar.formatDateTime(restored.restored_at, locale),
        when: restored.backup_at ? calendar.formatDateTime(restored.backup_at, locale) : '—',
      })}
    </p>
  );
}

export default function DashboardPage() {
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { data, error, reload } = useApiData(
    (signal) => api.get<Dashboard>(estatePath(estateId, '/dashboard'), undefined, signal),
    estateId,
  );
  return (
    <>
      <PageHeader
        title={t('ledger.dashboard_title')}
        subtitle={data ? t('ledger.dashboard_subtitle', { period: formatPeriod(data.period, locale) }) : undefined}
      />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <LedgerNoticesPanel />
      {data && <BackupWarning state={data.backup.state} />}
      {data && <RestoredNotice restored={data.backup.restored_from} />}
      {data && (data.setup.units === 0 || data.setup.invoices === 0) && <FirstSteps setup={data.setup} />}
      {data && data.setup.units > 0 && data.setup.invoices > 0 && (
        <>
          <div className="stats">
            <div className="stat" data-testid="stat-collection">
              <div className="stat__label">{t('ledger.collection_rate')}</div>
              <div className="stat__value">{formatPercent(data.this_month.rate)}</div>
              <small>
                {t('ledger.billed_collected', {
                  collected: formatRupiah(data.this_month.collected),
                  billed: formatRupiah(data.this_month.billed),
                })}
              </small>
            </div>
            <div className={`stat${data.outstanding_total > 0 ? ' stat--bad' : ''}`} data-testid="stat-outstanding">
              <div className="stat__label">{t('ledger.outstanding_total')}</div>
              <div className="stat__value">{formatRupiah(data.outstanding_total)}</div>
              <small>{t('ledger.units_in_arrears', { count: data.units_in_arrears })}</small>
              {data.overdue_total > 0 && (
                <small className="account-card__overdue" data-testid="stat-overdue">
                  {' '}
                  · {t('ledger.overdue')}: {formatRupiah(data.overdue_total)}
                </small>
              )}
            </div>
            <div className="stat" data-testid="stat-spending">
              <div className="stat__label">{t('dashboard.spending')}</div>
              <div className="stat__value">{formatRupiah(data.this_month.spending)}</div>
              <small>
                {t('dashboard.cash_in_out', {
                  income: formatRupiah(data.this_month.income),
                  spending: formatRupiah(data.this_month.spending),
                })}
              </small>
            </div>
            <div className="stat" data-testid="stat-cash">
              <div className="stat__label">{t('ledger.cash_total')}</div>
              <div className="stat__value">{formatRupiah(data.cash_total)}</div>
            </div>
            <div className="stat">
              <div className="stat__label">{t('ledger.credit_total')}</div>
              <div className="stat__value">{formatRupiah(data.credit_total)}</div>
              <small>
                {t('ledger.pending_proofs')}: {data.pending_submissions}
              </small>
            </div>
          </div>
          <BilledCollectedChart series={data.series} />
          <div className="ledger-grid" style={{ marginTop: 16 }}>
            <section className="card">
              <h2 className="card__title">{t('ledger.accounts')}</h2>
              <table className="table table--compact">
                <tbody>
                  {data.accounts.map((a) => (
                    <tr key={a.id}>
                      <td>{accountName(a, t)}</td>
                      <td className="num">{formatRupiah(a.balance)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </section>
            <section className="card">
              <h2 className="card__title">{t('ledger.top_arrears')}</h2>
              {data.top_arrears.length === 0 ? (
                <p>{t('ledger.no_arrears')}</p>
              ) : (
                <table className="table table--compact" data-testid="top-arrears">
                  <thead>
                    <tr>
                      <th>{t('ledger.col_unit')}</th>
                      <th>{t('ledger.col_resident')}</th>
                      <th className="num">{t('ledger.col_months')}</th>
                      <th className="num">{t('ledger.col_outstanding')}</th>
                      <th className="num">{t('ledger.overdue')}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {data.top_arrears.map((u) => (
                      <tr key={u.unit_id}>
                        <td>
                          <Link href={`/units/${u.unit_id}/account`} title={t('ledger.account_card')}>
                            {u.code}
                          </Link>
                        </td>
                        <td>{u.resident ?? '–'}</td>
                        <td className="num">{u.months_owed}</td>
                        <td className="num">{formatRupiah(u.outstanding)}</td>
                        <td className={`num${u.overdue > 0 ? ' account-card__overdue' : ''}`}>
                          {u.overdue > 0 ? formatRupiah(u.overdue) : '–'}
                        </td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </section>
          </div>
        </>
      )}
    </>
  );
}
