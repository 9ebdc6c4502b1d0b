import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { announcementApi } from './api.ts';
import './announcements.css';

/** Residents: what the office published to their units, pinned first, then newest. */
export default function PortalAnnouncementsPage() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const list = useApiData((signal) => announcementApi.portalList(estateId, signal), `portal-announcements:${estateId}`);
  // A newly published announcement rings the bell of each unit it reaches.
  useLiveChanges(estateId, ['notifications'], list.reload);
  return (
    <>
      <PageHeader title={t('announcements.portal_title')} />
      {list.error ? <ErrorBanner error={list.error} onRetry={list.reload} /> : null}
      {list.data && list.data.items.length === 0 && <p className="muted">{t('announcements.portal_empty')}</p>}
      <ul className="announcement-list" data-testid="announcement-list">
        {list.data?.items.map((item) => (
          <li key={item.id} className={`announcement-card${item.read ? '' : ' announcement-card--unread'}`} data-testid="announcement-item">
            <Link href={`/portal/announcements/${item.id}`}>
              <strong>{item.title}</strong>
            </Link>
            <span className="muted">{t('announcements.published_on', { when: calendar.formatDateTime(item.published_at, locale) })}</span>
            <span className="announcement-card__badges">
              {item.pinned && <Badge tone="blue">{t('announcements.pinned')}</Badge>}
              {!item.read && <Badge tone="amber">{t('announcements.unread')}</Badge>}
            </span>
          </li>
        ))}
      </ul>
    </>
  );
}
