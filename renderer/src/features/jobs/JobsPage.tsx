import { useState } from 'react';
import type { JobList } from '../../../../server/jobs/schemas.ts';
import { api } from '../../api/client.ts';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';

const TONE: Record<string, BadgeTone> = { pending: 'amber', running: 'amber', done: 'green', failed: 'red' };
const FILTERS = ['failed', 'pending', 'done', ''] as const;

/** The office's view of background work: what failed and why, with a button to try it again. */
export default function JobsPage() {
  const { t, tDynamic, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const { can } = useSession();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('failed');
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const { data, error, reload } = useApiData(
    (signal) => api.get<JobList>(`/estates/${estateId}/jobs`, { status: status || undefined, limit: 100 }, signal),
    `${estateId}:${status}`,
  );
  const retry = async (id: string) => {
    setActionError(null);
    try {
      await api.post(`/estates/${estateId}/jobs/${id}/retry`, {});
      setNotice(t('jobs.retried'));
      reload();
    } catch (cause) {
      setActionError(cause);
    }
  };
  return (
    <>
      <PageHeader title={t('jobs.title')} />
      <p className="muted">{t('jobs.intro')}</p>
      <div className="toolbar" role="tablist">
        {FILTERS.map((f) => (
          <button
            key={f || 'all'}
            type="button"
            role="tab"
            aria-selected={status === f}
            className={`btn ${status === f ? 'btn--primary' : 'btn--secondary'} btn--small`}
            onClick={() => setStatus(f)}
            data-testid={`jobs-filter-${f || 'all'}`}
          >
            {t(f ? `jobs.filter_${f}` : 'jobs.filter_all')}
          </button>
        ))}
      </div>
      {notice && (
        <p className="banner banner--success" role="status">
          {notice}
        </p>
      )}
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {actionError ? <ErrorBanner error={actionError} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="jobs-table">
          <thead>
            <tr>
              <th>{t('jobs.col_job')}</th>
              <th>{t('jobs.col_status')}</th>
              <th className="num">{t('jobs.col_attempts')}</th>
              <th>{t('jobs.col_when')}</th>
              <th>{t('jobs.col_error')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.items.map((job) => (
              <tr key={job.id} data-testid="job-row">
                <td>{tDynamic(`jobs.job_${job.name.replace(/[.-]/g, '_')}`, job.name)}</td>
                <td>
                  <Badge tone={TONE[job.status] ?? 'grey'}>{t(`jobs.status_${job.status}`)}</Badge>
                </td>
                <td className="num">
                  {job.attempts}/{job.max_attempts}
                </td>
                <td>{calendar.formatDateTime(job.finished_at ?? job.run_at, locale)}</td>
                <td>{job.last_error ?? ''}</td>
                <td>
                  {job.status === 'failed' && can('jobs.retry') && (
                    <button type="button" className="btn btn--secondary btn--small" onClick={() => void retry(job.id)}>
                      {t('jobs.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={6} className="muted">
                  {t('jobs.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
