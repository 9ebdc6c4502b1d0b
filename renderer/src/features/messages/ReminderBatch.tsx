import { useState } from 'react';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { formatRupiah } from '../../format/rupiah.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';

interface BatchAnswer {
  preview: boolean;
  items: Array<{ unit_id: string; unit_code: string; resident_name: string; channel: string; amount: number; text: string }>;
  queued: number;
}

/**
 * A payment reminder by hand for the units the treasurer ticked: first what each resident would receive (what the unit
 * still owes today, through the channel they chose), then sent. wa.me messages wait in Resident messages.
 */
export function ReminderBatch({ unitIds, onDone }: { unitIds: string[]; onDone(): void }) {
  const { t, tDynamic } = useI18n();
  const estateId = useEstateId();
  const [preview, setPreview] = useState<BatchAnswer | null>(null);
  const [sent, setSent] = useState<number | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const ask = async (dryRun: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const answer = await api.post<BatchAnswer>(`/estates/${estateId}/messages/reminders`, { unit_ids: unitIds, preview: dryRun });
      if (dryRun) setPreview(answer);
      else {
        setPreview(null);
        setSent(answer.queued);
        onDone();
      }
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <section className="card" data-testid="reminder-batch">
      <div className="ledger-actions">
        <button type="button" className="btn btn--secondary" disabled={busy || unitIds.length === 0} onClick={() => void ask(true)}>
          {t('messages.reminder_preview', { count: unitIds.length })}
        </button>
        {preview && (
          <button type="button" className="btn btn--primary" disabled={busy || preview.items.length === 0} onClick={() => void ask(false)}>
            {t('messages.reminder_send', { count: preview.items.length })}
          </button>
        )}
      </div>
      {error ? <ErrorBanner error={error} /> : null}
      {sent !== null && (
        <p className="banner banner--success" role="status">
          {t('messages.reminder_sent', { count: sent })} <Link href="/messages">{t('messages.reminder_open_list')}</Link>
        </p>
      )}
      {preview && preview.items.length === 0 && <p className="muted">{t('messages.reminder_nothing')}</p>}
      {preview && preview.items.length > 0 && (
        <ul className="reminder-preview" data-testid="reminder-preview">
          {preview.items.map((item) => (
            <li key={`${item.unit_id}:${item.resident_name}:${item.channel}`}>
              <strong>
                {item.unit_code} · {item.resident_name}
              </strong>{' '}
              <span className="muted">
                ({tDynamic(`messages.channel_${item.channel}`, item.channel)}, {formatRupiah(item.amount)})
              </span>
              <div style={{ whiteSpace: 'pre-wrap' }}>{item.text}</div>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
