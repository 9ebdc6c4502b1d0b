import { Link } from '../router/Link.tsx';
import { displayPhone } from '../../../shared/phone-display.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatNumber, formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useSearchParams } from '../router/navigation.ts';
import { useState } from 'react';
import { ReminderBatch } from '../features/messages/ReminderBatch.tsx';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { api, estatePath, type ArrearsReport } from './api.ts';
import { formatPeriodShort } from '../format/date.ts';
import { ExportButtons } from './ExportButtons.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './ledger.css';

/**
 * The units that owe × months of the year: red where money is still owed, "lunas" where paid, blank where nothing
 * was billed (yet); with the owner and phone to call, sorted by unit or by the amount owed (the exports follow).
 */
export default function ArrearsPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const { can } = useSession();
  const canRemind = can('messages.send');
  const [chosen, setChosen] = useState<Set<string>>(new Set());
  const toggle = (unitId: string) =>
    setChosen((c) => {
      const next = new Set(c);
      if (next.has(unitId)) next.delete(unitId);
      else next.add(unitId);
      return next;
    });
  const [params, setParams] = useSearchParams();
  const year = Number(params.get('year') ?? calendar.period().slice(0, 4));
  const sort = params.get('sort') === 'amount' ? 'amount' : 'unit';
  const path = estatePath(estateId, '/reports/arrears');
  const { data, error, reload } = useApiData(
    (signal) => api.get<ArrearsReport>(path, { year, sort }, signal),
    `${estateId}:${year}:${sort}`,
  );
  const sortButton = (by: 'unit' | 'amount', label: string) => (
    <button
      type="button"
      className="table-sort"
      data-testid={`arrears-sort-${by}`}
      aria-pressed={sort === by}
      title={t(by === 'unit' ? 'ledger.arrears_sort_unit' : 'ledger.arrears_sort_amount')}
      onClick={() => setParams({ year, sort: by })}
    >
      {label}
      {sort === by ? ' ▾' : ''}
    </button>
  );
  return (
    <>
      <PageHeader title={t('ledger.arrears_title')} subtitle={t('ledger.arrears_subtitle')} />
      <div className="ledger-actions">
        <input
          className="input input--small"
          style={{ maxWidth: 120 }}
          type="number"
          aria-label={t('ledger.year')}
          value={year}
          min={2000}
          max={2100}
          onChange={(e) => setParams({ year: e.target.value, sort })}
        />
        <ExportButtons path={path} query={{ year, sort }} />
        {data && (
          <span data-testid="arrears-summary">
            {t('ledger.arrears_summary', { units: data.totals.units_in_arrears, amount: formatRupiah(data.totals.total_outstanding) })}
          </span>
        )}
      </div>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {canRemind && data && data.grid.length > 0 && <ReminderBatch unitIds={[...chosen]} onDone={() => setChosen(new Set())} />}
      {data && data.grid.length === 0 && (
        <p className="muted" data-testid="arrears-none">
          {t('ledger.arrears_none')}
        </p>
      )}
      {data && data.grid.length > 0 && (
        <div className="table-wrap">
          <table className="table arrears-grid" data-testid="arrears-grid">
            <thead>
              <tr>
                {canRemind && (
                  <th>
                    <input
                      type="checkbox"
                      aria-label={t('messages.reminder_select_all')}
                      checked={chosen.size > 0 && chosen.size === data.grid.length}
                      onChange={(e) => setChosen(e.target.checked ? new Set(data.grid.map((r) => r.unit_id)) : new Set())}
                    />
                  </th>
                )}
                <th aria-sort={sort === 'unit' ? 'ascending' : 'none'}>{sortButton('unit', t('ledger.col_unit'))}</th>
                <th>{t('ledger.arrears_col_owner')}</th>
                <th>{t('ledger.arrears_col_phone')}</th>
                {data.periods.map((p) => (
                  <th key={p} className="num">
                    {formatPeriodShort(p, locale)}
                  </th>
                ))}
                <th className="num" aria-sort={sort === 'amount' ? 'descending' : 'none'}>
                  {sortButton('amount', t('ledger.col_total'))}
                </th>
              </tr>
            </thead>
            <tbody>
              {data.grid.map((row) => (
                <tr key={row.unit_id} data-unit={row.code}>
                  {canRemind && (
                    <td>
                      <input
                        type="checkbox"
                        aria-label={`${t('messages.reminder_select')} ${row.code}`}
                        checked={chosen.has(row.unit_id)}
                        onChange={() => toggle(row.unit_id)}
                      />
                    </td>
                  )}
                  <th scope="row">
                    <Link href={`/units/${row.unit_id}/account`}>{row.code}</Link>
                  </th>
                  <td data-testid="arrears-owner">{row.resident ?? ''}</td>
                  <td data-testid="arrears-phone">{displayPhone(row.phone)}</td>
                  {row.outstanding.map((owed, m) => (
                    <td
                      key={m}
                      data-period={data.periods[m]}
                      className={`num ${owed === null ? 'arrears-cell--none' : owed > 0 ? 'arrears-cell--owed' : 'arrears-cell--paid'}`}
                    >
                      {owed === null ? '' : owed > 0 ? formatNumber(owed) : t('ledger.arrears_paid')}
                    </td>
                  ))}
                  <td className="num" data-testid="arrears-total">
                    {row.total_outstanding > 0 ? formatNumber(row.total_outstanding) : ''}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
