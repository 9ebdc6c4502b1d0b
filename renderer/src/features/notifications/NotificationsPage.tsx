import { useState } from 'react';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { notificationApi, noticeKey } from './api.ts';
import { PushSwitch } from './PushSwitch.tsx';

/** The bell's list: newest first, each marked read on its own or all at once; a notice opens what it is about. */
export default function NotificationsPage() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const [actionError, setActionError] = useState<unknown>(null);
  const list = useApiData((signal) => notificationApi.list(estateId, { limit: 100 }, signal), `notifications:${estateId}`);
  useLiveChanges(estateId, ['notifications'], list.reload);
  const act = async (work: () => Promise<unknown>) => {
    setActionError(null);
    try {
      await work();
      list.reload();
    } catch (cause) {
      setActionError(cause);
    }
  };
  return (
    <>
      <PageHeader
        title={t('notifications.title')}
        actions={
          list.data && list.data.unread > 0 ? (
            <button
              type="button"
              className="btn btn--secondary btn--small"
              data-testid="mark-all-read"
              onClick={() => void act(() => notificationApi.markAllRead(estateId))}
            >
              {t('notifications.mark_all')}
            </button>
          ) : null
        }
      />
      <PushSwitch estateId={estateId} />
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      {actionError ? <ErrorBanner error={actionError} /> : null}
      {list.data && list.data.items.length === 0 && <p className="muted">{t('notifications.empty')}</p>}
      <ul className="notice-list" data-testid="notification-list">
        {list.data?.items.map((notice) => (
          <li key={notice.id} className={`notice-item${notice.read_at ? '' : ' notice-item--unread'}`} data-testid="notification-item">
            <div className="notice-item__body">
              <strong>{t(noticeKey(notice), { name: notice.title })}</strong>
              {notice.body && <span className="muted">{notice.body}</span>}
              <span className="muted">{calendar.formatDateTime(notice.created_at, locale)}</span>
              <div className="notice-item__actions">
                {!notice.read_at && <Badge tone="amber">{t('notifications.unread')}</Badge>}
                {notice.link?.startsWith('/portal/') && (
                  <Link href={notice.link} className="btn btn--secondary btn--small">
                    {t('notifications.open')}
                  </Link>
                )}
                {!notice.read_at && (
                  <button
                    type="button"
                    className="btn btn--small"
                    onClick={() => void act(() => notificationApi.markRead(estateId, notice.id))}
                  >
                    {t('notifications.mark_read')}
                  </button>
                )}
              </div>
            </div>
          </li>
        ))}
      </ul>
    </>
  );
}
