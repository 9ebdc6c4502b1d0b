import { useState } from 'react';
import type { Message } from '../../../../server/messages/schemas.ts';
import { api } from '../../api/client.ts';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { DeliveryReport } from './DeliveryReport.tsx';

const TONE: Record<string, BadgeTone> = {
  queued: 'amber',
  sending: 'amber',
  sent: 'green',
  delivered: 'green',
  read: 'green',
  failed: 'red',
  cancelled: 'grey',
};
const FILTERS = ['queued', 'failed', 'sent', ''] as const;

/** The office's outbox: wa.me messages to send by hand and tick, failures to send again. */
export default function MessagesPage() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const { can } = useSession();
  const [status, setStatus] = useState<(typeof FILTERS)[number]>('queued');
  const [notice, setNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const { data, error, reload } = useApiData(
    (signal) =>
      api.get<{ items: Message[]; total: number }>(`/estates/${estateId}/messages`, { status: status || undefined, limit: 200 }, signal),
    `${estateId}:${status}`,
  );
  const act = async (id: string, action: 'mark-sent' | 'retry') => {
    setActionError(null);
    try {
      await api.post(`/estates/${estateId}/messages/${id}/${action}`, {});
      setNotice(t(action === 'retry' ? 'messages.retried' : 'messages.marked'));
      reload();
    } catch (cause) {
      setActionError(cause);
    }
  };
  return (
    <>
      <PageHeader title={t('messages.title')} />
      <p className="muted">{t('messages.intro')}</p>
      <DeliveryReport />
      <div className="toolbar" role="tablist">
        {FILTERS.map((f) => (
          <button
            key={f || 'all'}
            type="button"
            role="tab"
            aria-selected={status === f}
            className={`btn ${status === f ? 'btn--primary' : 'btn--secondary'} btn--small`}
            onClick={() => setStatus(f)}
            data-testid={`messages-filter-${f || 'all'}`}
          >
            {t(f ? `messages.filter_${f}` : 'messages.filter_all')}
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
        <table className="table" data-testid="messages-table">
          <thead>
            <tr>
              <th>{t('messages.col_unit')}</th>
              <th>{t('messages.col_resident')}</th>
              <th>{t('messages.col_channel')}</th>
              <th>{t('messages.col_text')}</th>
              <th>{t('messages.col_status')}</th>
              <th>{t('messages.col_when')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {data?.items.map((m) => (
              <tr key={m.id} data-testid="message-row">
                <td>{m.unit_code ?? ''}</td>
                <td>{m.resident_name ?? ''}</td>
                <td>{t(`messages.channel_${m.channel}`)}</td>
                <td style={{ whiteSpace: 'pre-line', maxWidth: '28rem' }}>
                  {m.body_text}
                  {m.failure_reason ? <div className="muted">{m.failure_reason}</div> : null}
                </td>
                <td>
                  <Badge tone={TONE[m.status] ?? 'grey'}>{t(`messages.status_${m.status}`)}</Badge>
                </td>
                <td>{calendar.formatDateTime(m.sent_at ?? m.created_at, locale)}</td>
                <td>
                  {m.wa_link && m.status === 'queued' && can('messages.send') && (
                    <div className="toolbar">
                      <a className="btn btn--primary btn--small" href={m.wa_link} target="_blank" rel="noreferrer">
                        {t('messages.open_whatsapp')}
                      </a>
                      <button type="button" className="btn btn--secondary btn--small" onClick={() => void act(m.id, 'mark-sent')}>
                        {t('messages.mark_sent')}
                      </button>
                    </div>
                  )}
                  {(m.status === 'failed' || m.status === 'cancelled') && can('messages.send') && (
                    <button type="button" className="btn btn--secondary btn--small" onClick={() => void act(m.id, 'retry')}>
                      {t('messages.retry')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
            {data && data.items.length === 0 && (
              <tr>
                <td colSpan={7} className="muted">
                  {t('messages.empty')}
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </>
  );
}
