import { useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import type { PageProps } from '../../faces/types.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId, useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { AnnouncementBody } from './AnnouncementBody.tsx';
import { announcementApi } from './api.ts';
import './announcements.css';

/** The statuses the batch delivery report shows too, in its words; a read message is counted as read only. */
const COUNTS = ['queued', 'sent', 'delivered', 'read', 'failed'] as const;

/** One announcement for the office: its text, and who it reached (per channel, per unit, and who not yet). */
export default function AnnouncementReportPage({ params }: PageProps) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const { can } = useSession();
  const id = params.id as string;
  const [actionError, setActionError] = useState<unknown>(null);
  const item = useApiData((signal) => announcementApi.get(estateId, id, signal), `announcement:${estateId}:${id}`);
  const report = useApiData((signal) => announcementApi.delivery(estateId, id, signal), `announcement-delivery:${estateId}:${id}`);
  const act = async (work: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await work();
      item.reload();
      report.reload();
    } catch (cause) {
      setActionError(cause);
    }
  };
  const a = item.data;
  return (
    <>
      <PageHeader
        title={a?.title ?? t('announcements.title')}
        subtitle={
          a?.status === 'scheduled' && a.publish_at
            ? t('announcements.scheduled_for', { when: calendar.formatDateTime(a.publish_at, locale) })
            : a?.published_at
              ? t('announcements.published_on', { when: calendar.formatDateTime(a.published_at, locale) })
              : undefined
        }
        actions={
          a && can('announcements.write') ? (
            <>
              {a.status !== 'published' && (
                <button
                  type="button"
                  className="btn btn--primary btn--small"
                  onClick={() => void act(() => announcementApi.publish(estateId, id, null))}
                >
                  {t('announcements.publish_now')}
                </button>
              )}
              <button
                type="button"
                className="btn btn--secondary btn--small"
                onClick={() => void act(() => announcementApi.pin(estateId, id, !a.pinned))}
              >
                {a.pinned ? t('announcements.unpin') : t('announcements.pin')}
              </button>
            </>
          ) : null
        }
      />
      <p>
        <Link href="/announcements">{t('announcements.title')}</Link>
      </p>
      {item.error ? <ErrorBanner error={item.error} onRetry={item.reload} /> : null}
      {actionError ? <ErrorBanner error={actionError} /> : null}
      {a && <AnnouncementBody html={a.body_html} />}
      {a && a.attachments.length > 0 && (
        <section className="announcement-files" aria-label={t('announcements.attachments')}>
          {a.attachments.map((file) => (
            <a key={file.id} href={announcementApi.officeFileUrl(estateId, id, file.id)} target="_blank" rel="noreferrer">
              {file.filename}
            </a>
          ))}
        </section>
      )}
      <h2>{t('announcements.report')}</h2>
      {report.error ? <ErrorBanner error={report.error} onRetry={report.reload} /> : null}
      {report.data && (
        <div data-testid="delivery-report">
          <p>{t('announcements.recipients', { count: report.data.recipients })}</p>
          <div className="table-wrap">
            <table className="table" data-testid="delivery-counts">
              <thead>
                <tr>
                  <th>{t('announcements.col_channel')}</th>
                  {COUNTS.map((k) => (
                    <th key={k} className="num">
                      {t(`messages.status_${k}`)}
                    </th>
                  ))}
                  <th className="num">{t('messages.delivery_total')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.channels.map((c) => (
                  <tr key={c.channel} data-testid={`delivery-channel-${c.channel}`}>
                    <td>{t(`announcements.channel_${c.channel}`)}</td>
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
          {report.data.channels.some((c) => c.channel !== 'portal') && (
            <p>
              <Link href={`/messages?announcement=${id}`}>{t('announcements.outbox_statuses')}</Link>
            </p>
          )}
          <p>{t('announcements.not_reached', { count: report.data.not_reached.length })}</p>
          <div className="table-wrap">
            <table className="table" data-testid="delivery-units">
              <thead>
                <tr>
                  <th>{t('announcements.col_unit')}</th>
                  <th>{t('announcements.col_block')}</th>
                  <th>{t('announcements.col_read_at')}</th>
                  <th className="num">{t('announcements.col_readers')}</th>
                </tr>
              </thead>
              <tbody>
                {report.data.units.map((u) => (
                  <tr key={u.unit_id} data-testid="delivery-unit" data-read={u.read_at ? 'yes' : 'no'}>
                    <td>{u.code}</td>
                    <td>{u.block ?? ''}</td>
                    <td>
                      {u.read_at ? (
                        calendar.formatDateTime(u.read_at, locale)
                      ) : (
                        <Badge tone="amber">{t('announcements.not_read_yet')}</Badge>
                      )}
                    </td>
                    <td className="num">{u.readers}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </div>
      )}
    </>
  );
}
