import { useState } from 'react';
import type { FieldConflictAnswer } from '../../../../server/sync/field-conflict-schemas.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';

// Tables and columns the office knows by name; any other shows as stored.
const NAMED_TABLES = ['units', 'residents', 'fee_types'];
const NAMED_COLUMNS = ['phone', 'name', 'notes', 'code', 'email'];

/**
 * Values that lost a per-field merge: which data, which field, the value in use and the losing one with the side
 * each came from. The office dismisses one once read, or uses the losing value instead (an ordinary edit, which
 * syncs). `reloadKey` changes after a sync run, which may have brought new ones.
 */
export function FieldConflictsCard({ base, reloadKey }: { base: string; reloadKey: string }) {
  const { t } = useI18n();
  const { can } = useSession();
  const [busy, setBusy] = useState<string | null>(null);
  const [failure, setFailure] = useState<unknown>();
  const { data, error, reload } = useApiData(
    (signal) => api.get<{ items: FieldConflictAnswer[] }>(`${base}/conflicts`, { open: '1' }, signal),
    `${base}:${reloadKey}`,
  );
  const label = (prefix: 'table' | 'column', name: string) =>
    (prefix === 'table' ? NAMED_TABLES : NAMED_COLUMNS).includes(name) ? t(`sync_conflicts.${prefix}_${name}` as MessageKey) : name;
  const shown = (value: unknown) => (value === null || value === '' ? t('sync_conflicts.empty_value') : String(value));
  const act = async (id: string, action: 'dismiss' | 'use') => {
    setBusy(id);
    setFailure(undefined);
    try {
      await api.post(`${base}/conflicts/${id}/${action}`);
      reload();
    } catch (err) {
      setFailure(err);
    } finally {
      setBusy(null);
    }
  };
  if (error) return <ErrorBanner error={error} onRetry={reload} />;
  if (!data || data.items.length === 0) return null;
  return (
    <section className="card sync-conflicts" data-testid="sync-conflicts">
      <h2 className="card__title">{t('sync_conflicts.title')}</h2>
      <p className="muted">{t('sync_conflicts.hint')}</p>
      {failure ? <ErrorBanner error={failure} /> : null}
      <ul className="sync-conflicts__list">
        {data.items.map((c) => (
          <li key={c.id} className="sync-conflicts__item" data-conflict-id={c.id}>
            <div className="sync-conflicts__what">
              <strong>
                {label('table', c.table_name)}
                {c.row_label ? ` ${c.row_label}` : ''} · {label('column', c.column_name)}
              </strong>
              <span>
                {t('sync_conflicts.in_use')}: <b>{shown(c.winning_value)}</b>{' '}
                <small className="muted">({t(c.winner === 'this_site' ? 'sync_conflicts.won_here' : 'sync_conflicts.won_there')})</small>
              </span>
              <span>
                {t('sync_conflicts.lost')}: <s>{shown(c.losing_value)}</s>{' '}
                <small className="muted">({t(c.winner === 'this_site' ? 'sync_conflicts.lost_there' : 'sync_conflicts.lost_here')})</small>
              </span>
            </div>
            {can('sync.resolve') && (
              <div className="sync-conflicts__actions">
                <button type="button" className="btn btn--secondary" disabled={busy === c.id} onClick={() => void act(c.id, 'use')}>
                  {t('sync_conflicts.use')}
                </button>
                <button type="button" className="btn btn--ghost" disabled={busy === c.id} onClick={() => void act(c.id, 'dismiss')}>
                  {t('sync_conflicts.dismiss')}
                </button>
              </div>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
