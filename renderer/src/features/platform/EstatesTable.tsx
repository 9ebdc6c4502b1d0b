import { useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { useConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { SearchBox } from '../../components/SearchBox.tsx';
import { formatDateTime } from '../../format/date.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useDebouncedValue } from '../../hooks/useDebouncedValue.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { listPlatformEstates, setEstateSuspended, type PlatformEstate } from './api.ts';
import type { Report } from './report.ts';

const FILTERS = ['', 'active', 'suspended'] as const;

/** Every estate on the server with its usage; suspending asks first, reactivating does not (it only gives back). */
export function EstatesTable({ version, report }: { version: number; report: Report }) {
  const { t, locale } = useI18n();
  const { confirm, dialog } = useConfirmDialog();
  const [searchText, setSearchText] = useState('');
  const q = useDebouncedValue(searchText.trim());
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('');
  const [busy, setBusy] = useState<string | null>(null);
  const { data, error, reload } = useApiData(
    (signal) => listPlatformEstates({ q: q || undefined, status: status || undefined }, signal),
    `${q}:${status}:${version}`,
  );

  const toggle = async (estate: PlatformEstate) => {
    const suspend = estate.status === 'active';
    if (
      suspend &&
      !(await confirm({
        title: t('platform.suspend_title', { name: estate.name }),
        text: t('platform.suspend_text'),
        confirmLabel: t('platform.suspend'),
        tone: 'danger',
      }))
    )
      return;
    setBusy(estate.id);
    try {
      await setEstateSuspended(estate.id, suspend);
      report.notice(suspend ? 'platform.suspended_notice' : 'platform.reactivated_notice', { name: estate.name });
      reload();
    } catch (cause) {
      report.error(cause);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card platform__estates">
      <h2 className="card__title">{t('platform.estates_title')}</h2>
      <div className="toolbar">
        <SearchBox label={t('common.search')} placeholder={t('platform.search_placeholder')} value={searchText} onChange={setSearchText} />
        <div role="tablist" className="toolbar__tabs">
          {FILTERS.map((f) => (
            <button
              key={f || 'all'}
              type="button"
              role="tab"
              aria-selected={status === f}
              className={`btn ${status === f ? 'btn--primary' : 'btn--secondary'} btn--small`}
              onClick={() => setStatus(f)}
            >
              {t(f ? `platform.filter_${f}` : 'platform.filter_all')}
            </button>
          ))}
        </div>
      </div>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="platform-estates">
          <thead>
            <tr>
              <th>{t('platform.col_name')}</th>
              <th>{t('platform.col_status')}</th>
              <th className="num">{t('platform.col_units')}</th>
              <th className="num">{t('platform.col_residents')}</th>
              <th className="num">{t('platform.col_users')}</th>
              <th>{t('platform.col_last_sync')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.items.map((estate) => (
              <tr key={estate.id} data-testid="platform-estate-row" data-estate-id={estate.id}>
                <td>
                  <strong>{estate.name}</strong>
                  <div className="muted platform__small">{estate.timezone}</div>
                </td>
                <td>
                  <Badge tone={estate.status === 'active' ? 'green' : 'red'}>{t(`platform.status_${estate.status}`)}</Badge>
                  {estate.suspended_at && (
                    <div className="muted platform__small">{formatDateTime(estate.suspended_at, locale, estate.timezone)}</div>
                  )}
                </td>
                <td className="num">{estate.usage.units.toLocaleString(locale)}</td>
                <td className="num">{estate.usage.active_residents.toLocaleString(locale)}</td>
                <td className="num">{estate.usage.users.toLocaleString(locale)}</td>
                <td>
                  {estate.usage.last_sync_at ? (
                    formatDateTime(estate.usage.last_sync_at, locale, estate.timezone)
                  ) : (
                    <span className="muted">{t('platform.never_synced')}</span>
                  )}
                </td>
                <td className="actions">
                  <button
                    type="button"
                    className={`btn btn--small ${estate.status === 'active' ? 'btn--ghost' : 'btn--secondary'}`}
                    disabled={busy === estate.id}
                    onClick={() => void toggle(estate)}
                  >
                    {t(estate.status === 'active' ? 'platform.suspend' : 'platform.reactivate')}
                  </button>
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {t('platform.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {dialog}
    </section>
  );
}
