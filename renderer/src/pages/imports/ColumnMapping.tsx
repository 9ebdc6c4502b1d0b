import { useState } from 'react';
import type { ColumnMapping as Mapping } from '../../api/imports.ts';
import type { ImportColumn } from '../../api/types.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { fieldLabel } from './ImportPreview.tsx';

interface Props {
  columns: ImportColumn[];
  fields: readonly string[];
  onApply: (mapping: Mapping) => void;
}

/** Lets the treasurer say what an unrecognised header means (`Pemilik Rumah` → owner name) and preview again. */
export function ColumnMappingEditor({ columns, fields, onApply }: Props) {
  const { t, tDynamic } = useI18n();
  const [mapping, setMapping] = useState<Record<number, string>>(() =>
    Object.fromEntries(columns.map((column) => [column.index, column.field === 'ignore' ? '' : (column.field ?? '')])),
  );
  const apply = () => {
    const chosen: Mapping = {};
    for (const column of columns) {
      // Every column is sent: a column left unmapped must stay ignored rather than be guessed again.
      chosen[String(column.index)] = mapping[column.index] || 'ignore';
    }
    onApply(chosen);
  };
  return (
    <section className="card card--warning" data-testid="column-mapping">
      <h2 className="card__title">{t('imports.mapping_title')}</h2>
      <p className="muted">{t('imports.mapping_help')}</p>
      <table className="table table--compact">
        <thead>
          <tr>
            <th>{t('imports.mapping_column')}</th>
            <th>{t('imports.mapping_field')}</th>
          </tr>
        </thead>
        <tbody>
          {columns.map((column) => (
            <tr key={column.index} className={column.field ? '' : 'row--attention'}>
              <td>{column.header || `#${column.index + 1}`}</td>
              <td>
                <select
                  className="input input--small"
                  aria-label={column.header}
                  value={mapping[column.index] ?? ''}
                  onChange={(e) => setMapping((current) => ({ ...current, [column.index]: e.target.value }))}
                >
                  <option value="">{t('imports.mapping_ignore')}</option>
                  {fields.map((field) => (
                    <option key={field} value={field}>
                      {fieldLabel(tDynamic, field)}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button type="button" className="btn btn--secondary" onClick={apply}>
        {t('imports.mapping_apply')}
      </button>
    </section>
  );
}
