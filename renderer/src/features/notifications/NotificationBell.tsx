import { useApiData } from '../../hooks/useApiData.ts';
import { useLiveChanges } from '../../hooks/useLiveChanges.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { Icon } from '../../components/Icon.tsx';
import { notificationApi } from './api.ts';
import './notifications.css';

/** The portal header's bell: how many notices of the resident's units are unread, kept current by live changes. */
export function NotificationBell({ href }: { href: string }) {
  const { t } = useI18n();
  const { membership } = useSession();
  const estateId = membership?.role === 'resident' ? membership.estate_id : null;
  const unread = useApiData(
    async (signal) => (estateId ? (await notificationApi.list(estateId, { limit: 1 }, signal)).unread : 0),
    `bell:${estateId}`,
  );
  useLiveChanges(estateId, ['notifications'], unread.reload);
  if (!estateId) return null;
  const count = unread.data ?? 0;
  return (
    <Link
      href={href}
      className="bell"
      data-testid="notification-bell"
      aria-label={count ? t('notifications.bell_unread', { count }) : t('notifications.bell')}
    >
      <Icon name="bell" size={22} />
      {count > 0 && (
        <span className="bell__count" data-testid="notification-count">
          {count > 99 ? '99+' : count}
        </span>
      )}
    </Link>
  );
}
