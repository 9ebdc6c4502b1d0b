import { useState } from 'react';
import type { ImportResult } from '../../api/types.ts';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { formatNumber } from '../../format/rupiah.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';

const ACTION_TONE: Record<string, BadgeTone> = { create: 'green', update: 'blue', unchanged: 'grey', error: 'red' };
/** A preview of a 10,000-row sheet would be a very long page; errors are always listed in full above it. */
const ROWS_SHOWN = 200;

export function SummaryCards({ summary }: { summary: ImportResult['summary'] }) {
  const { t } = useI18n();
  const cards: [MessageKey, number, string][] = [
    ['imports.units_create', summary.units_create, 'units_create'],
    ['imports.units_update', summary.units_update, 'units_update'],
    ['imports.units_unchanged', summary.units_unchanged, 'units_unchanged'],
    ['imports.residents_create', summary.residents_create, 'residents_create'],
    ['imports.residents_update', summary.residents_update, 'residents_update'],
    ['imports.error_rows', summary.error_rows, 'error_rows'],
  ];
  return (
    <div className="stats">
      {cards.map(([label, value, id]) => (
        <div key={id} className={`stat${id === 'error_rows' && value > 0 ? ' stat--bad' : ''}`} data-testid={`summary-${id}`}>
          <div className="stat__value">{formatNumber(value)}</div>
          <div className="stat__label">{t(label)}</div>
        </div>
      ))}
    </div>
  );
}

export function fieldLabel(tDynamic: (key: string, fallback: string) => string, field: string | null): string {
  return field ? tDynamic(`imports.field_${field}`, field) : '';
}

export function RowErrors({ rows }: { rows: ImportResult['rows'] }) {
  const { t, tDynamic } = useI18n();
  const bad = rows.filter((row) => row.action === 'error' || row.errors.length > 0);
  if (bad.length === 0) return null;
  return (
    <section className="card card--danger" data-testid="import-errors">
      <h2 className="card__title">{t('imports.error_rows')}</h2>
      <table className="table table--compact">
        <thead>
          <tr>
            <th className="num">{t('imports.col_row')}</th>
            <th>{t('imports.col_unit')}</th>
            <th>{t('imports.col_problems')}</th>
          </tr>
        </thead>
        <tbody>
          {bad.map((row) => (
            <tr key={row.row_number}>
              <td className="num">{row.row_number}</td>
              <td>{row.unit_code ?? t('common.none')}</td>
              <td>
                {row.errors.map((error, index) => (
                  <div key={index}>
                    {error.field && <strong>{fieldLabel(tDynamic, error.field)}: </strong>}
                    {error.message}
                  </div>
                ))}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

export function PreviewRows({ rows }: { rows: ImportResult['rows'] }) {
  const { t, tDynamic } = useI18n();
  const [errorsOnly, setErrorsOnly] = useState(false);
  const filtered = errorsOnly ? rows.filter((row) => row.action === 'error') : rows;
  const shown = filtered.slice(0, ROWS_SHOWN);
  return (
    <section className="card">
      <label className="checkbox checkbox--inline">
        <input type="checkbox" checked={errorsOnly} onChange={(e) => setErrorsOnly(e.target.checked)} />
        <span>{t('imports.show_errors_only')}</span>
      </label>
      <table className="table table--compact" data-testid="import-rows">
        <thead>
          <tr>
            <th className="num">{t('imports.col_row')}</th>
            <th>{t('imports.col_unit')}</th>
            <th>{t('imports.col_action')}</th>
            <th>{t('imports.col_residents')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((row) => (
            <tr key={row.row_number}>
              <td className="num">{row.row_number}</td>
              <td>{row.unit_code ?? t('common.none')}</td>
              <td>
                <Badge tone={ACTION_TONE[row.action] ?? 'grey'}>{tDynamic(`imports.action_${row.action}`, row.action)}</Badge>
              </td>
              <td className="table__muted">
                {row.residents
                  .map((person) => `${person.name} (${tDynamic(`residents.relation_${person.relation}`, person.relation)})`)
                  .join(', ')}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {filtered.length > shown.length && (
        <p className="muted">{t('imports.more_rows', { count: formatNumber(filtered.length - shown.length) })}</p>
      )}
    </section>
  );
}
