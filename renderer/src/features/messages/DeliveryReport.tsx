import { useState } from 'react';
import type { DeliveryReport as Report } from '../../../../server/messages/schemas.ts';
import { api } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSearchParams } from '../../router/navigation.ts';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';

/** The batches the office sends to many units at once, and the other templates it may want to follow up. */
const BATCH_TEMPLATES = [
  'announcement',
  'reminder_h3',
  'reminder_h1',
  'reminder_h_plus1',
  'overdue_digest',
  'invoice_new',
  'payment_received',
] as const;
const COUNTS = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;

/**
 * How far a batch reached on one of the estate's days: per channel how many messages wait, went out, were delivered
 * and read (where the WhatsApp provider reports it) or failed, and the units none of whose messages reached anyone.
 */
export function DeliveryReport() {
  const { t, tDynamic } = useI18n();
  const estateId = useEstateId();
  const calendar = useEstateCalendar();
  const [template, setTemplate] = useState<(typeof BATCH_TEMPLATES)[number]>('announcement');
  const [date, setDate] = useState(() => calendar.today());
  // Opened from an announcement's report: that announcement's messages, whatever day they were queued.
  const [params, setParams] = useSearchParams();
  const announcement = params.get('announcement');
  const query = announcement ? { template_key: 'announcement', cause_id: announcement } : { template_key: template, date };
  const { data, error, reload } = useApiData(
    (signal) => api.get<Report>(`/estates/${estateId}/messages/delivery`, query, signal),
    `${estateId}:delivery:${JSON.stringify(query)}`,
  );
  return (
    <section className="card" data-testid="delivery-report">
      <h2 className="card__title">{t('messages.delivery_title')}</h2>
      <p className="muted">{t('messages.delivery_intro')}</p>
      {announcement ? (
        <p>
          {t('messages.delivery_one_announcement')}{' '}
          <button type="button" className="btn btn--secondary btn--small" onClick={() => setParams({ announcement: undefined })}>
            {t('messages.delivery_by_day')}
          </button>
        </p>
      ) : (
        <div className="form__row">
          <Field label={t('messages.delivery_template')}>
            <select
              className="input"
              name="delivery_template"
              value={template}
              onChange={(e) => setTemplate(e.target.value as (typeof BATCH_TEMPLATES)[number])}
            >
              {BATCH_TEMPLATES.map((key) => (
                <option key={key} value={key}>
                  {tDynamic(`messages.tpl_${key}`, key)}
                </option>
              ))}
            </select>
          </Field>
          <Field label={t('messages.delivery_date')}>
            <input
              className="input"
              name="delivery_date"
              type="date"
              value={date}
              onChange={(e) => e.target.value && setDate(e.target.value)}
            />
          </Field>
        </div>
      )}
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && data.channels.length === 0 && <p className="muted">{t('messages.delivery_none')}</p>}
      {data && data.channels.length > 0 && (
        <>
          <div className="table-wrap" style={{ marginTop: '0.75rem' }}>
            <table className="table" data-testid="delivery-counts">
              <thead>
                <tr>
                  <th>{t('messages.col_channel')}</th>
                  {COUNTS.map((c) => (
                    <th key={c} className="num">
                      {t(`messages.status_${c}`)}
                    </th>
                  ))}
                  <th className="num">{t('messages.delivery_total')}</th>
                </tr>
              </thead>
              <tbody>
                {data.channels.map((c) => (
                  <tr key={c.channel} data-testid={`delivery-channel-${c.channel}`}>
                    <td>{t(`messages.channel_${c.channel}`)}</td>
                    {COUNTS.map((k) => (
                      <td key={k} className="num" data-testid={`delivery-${c.channel}-${k}`}>
                        {c[k]}
                      </td>
                    ))}
                    <td className="num">{c.total}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <h3 style={{ marginTop: '1rem' }}>
            {t('messages.not_reached_title', { count: data.not_reached.length, total: data.units_total })}
          </h3>
          {data.not_reached.length === 0 ? (
            <p className="muted">{t('messages.not_reached_none')}</p>
          ) : (
            <ul className="plain-list" data-testid="not-reached">
              {data.not_reached.map((u) => (
                <li key={u.unit_id} data-testid="not-reached-unit">
                  <strong>{u.unit_code ?? '—'}</strong>{' '}
                  <span className="muted">
                    {u.messages
                      .map(
                        (m) =>
                          `${t(`messages.channel_${m.channel}`)}: ${t(`messages.status_${m.status}`)}${m.failure_reason ? ` (${m.failure_reason})` : ''}`,
                      )
                      .join(' · ')}
                  </span>
                </li>
              ))}
            </ul>
          )}
        </>
      )}
    </section>
  );
}
