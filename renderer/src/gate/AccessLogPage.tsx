import { useEffect, useState } from 'react';
import { api, buildUrl, type Query } from '../api/client.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { Pagination } from '../components/Pagination.tsx';
import { Badge } from '../components/Badge.tsx';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './access-log.css';
import type { AccessLogEntry, Visit } from '../../../server/gate/schemas.ts';
import { DateField } from '../components/DateField.tsx';

type LogRow = AccessLogEntry;

/** An overstay is a visit past its expected time, so it always has one. */
type Overstay = Visit & { expected_until: string };

const LIMIT = 50;

/** Office: every scan and decision, filtered by date, unit, plate and verdict, exported as .xlsx or PDF. */
export default function AccessLogPage() {
  const calendar = useEstateCalendar();
  const { t, tDynamic, locale } = useI18n();
  const { membership } = useSession();
  const base = `/estates/${membership?.estate_id}`;
  const [filters, setFilters] = useState({ from: '', to: '', unit_id: '', plate: '', verdict: '' });
  const [offset, setOffset] = useState(0);
  const query: Query = { ...filters, limit: LIMIT, offset };
  const log = useApiData(
    (signal) => api.get<{ items: LogRow[]; total: number }>(`${base}/access-log`, query, signal),
    JSON.stringify([base, query]),
  );
  const units = useApiData(
    (signal) => api.get<{ items: { id: string; code: string }[] }>(`${base}/units`, { limit: 500 }, signal),
    `${base}:units`,
  );
  const overstays = useApiData(
    (signal) => api.get<{ items: Overstay[] }>(`${base}/gate/overstays`, undefined, signal),
    `${base}:overstays`,
  );
  const inside = useApiData((signal) => api.get<{ items: unknown[] }>(`${base}/gate/inside`, undefined, signal), `${base}:inside`);

  useEffect(() => {
    document.title = `${t('gate.log_title')} · Klustera`;
  }, [t]);

  const set = (key: keyof typeof filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setOffset(0);
    setFilters((f) => ({ ...f, [key]: e.target.value }));
  };
  const exportUrl = (format: 'xlsx' | 'pdf') => buildUrl(`${base}/access-log`, { ...filters, format });

  return (
    <>
      <PageHeader
        title={t('gate.log_title')}
        subtitle={`${t('gate.log_subtitle')} ${inside.data ? t('gate.log_inside', { count: inside.data.items.length }) : ''}`}
        actions={
          <>
            <a className="btn" href={exportUrl('xlsx')} download data-testid="export-xlsx">
              {t('gate.log_export_xlsx')}
            </a>
            <a className="btn" href={exportUrl('pdf')} download data-testid="export-pdf">
              {t('gate.log_export_pdf')}
            </a>
          </>
        }
      />
      {overstays.data && overstays.data.items.length > 0 && (
        <div className="banner access-log__overstays" role="status" data-testid="overstays">
          <strong>{t('gate.log_overstays')}:</strong>{' '}
          {overstays.data.items.map((v) => `${v.name} (${v.unit_code}, ${calendar.formatDateTime(v.expected_until, locale)})`).join(', ')}
        </div>
      )}
      <div className="toolbar access-log__filters">
        <label>
          {t('gate.log_from')}
          <DateField value={filters.from} onChange={set('from')} />
        </label>
        <label>
          {t('gate.log_to')}
          <DateField value={filters.to} onChange={set('to')} />
        </label>
        <label>
          {t('gate.log_unit')}
          <select value={filters.unit_id} onChange={set('unit_id')}>
            <option value="">{t('gate.log_all')}</option>
            {units.data?.items.map((u) => (
              <option key={u.id} value={u.id}>
                {u.code}
              </option>
            ))}
          </select>
        </label>
        <label>
          {t('gate.log_plate')}
          <input value={filters.plate} onChange={set('plate')} />
        </label>
        <label>
          {t('gate.log_verdict')}
          <select value={filters.verdict} onChange={set('verdict')}>
            <option value="">{t('gate.log_all')}</option>
            <option value="accepted">{t('gate.log_accepted')}</option>
            <option value="rejected">{t('gate.log_rejected')}</option>
          </select>
        </label>
      </div>
      {log.error ? <ErrorBanner error={log.error} onRetry={log.reload} /> : null}
      <div className="table-wrap">
        <table className="table" data-testid="access-log">
          <thead>
            <tr>
              <th>{t('gate.log_col_time')}</th>
              <th>{t('gate.log_col_direction')}</th>
              <th>{t('gate.log_col_verdict')}</th>
              <th>{t('gate.log_col_name')}</th>
              <th>{t('gate.log_col_unit')}</th>
              <th>{t('gate.log_col_plate')}</th>
              <th>{t('gate.log_col_gate')}</th>
              <th>{t('gate.log_col_guard')}</th>
            </tr>
          </thead>
          <tbody>
            {log.data?.items.map((row) => (
              <tr key={row.id}>
                <td>{calendar.formatDateTime(row.occurred_at, locale)}</td>
                <td>{t(row.direction === 'in' ? 'gate.direction_in' : 'gate.direction_out')}</td>
                <td>
                  <Badge tone={row.verdict === 'accepted' ? 'green' : 'red'}>
                    {row.verdict === 'accepted'
                      ? t('gate.log_accepted')
                      : tDynamic(`gate.reason_${row.reason}`, row.reason ?? t('gate.log_rejected'))}
                  </Badge>
                </td>
                <td>{row.person_name ?? '—'}</td>
                <td>{row.unit_code ?? '—'}</td>
                <td>{row.plate ?? '—'}</td>
                <td>{row.gate_name ?? '—'}</td>
                <td>{row.guard_name ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {log.data && log.data.items.length === 0 && <p className="muted">{t('gate.log_empty')}</p>}
      {log.data && <Pagination total={log.data.total} limit={LIMIT} offset={offset} onOffset={setOffset} />}
    </>
  );
}
