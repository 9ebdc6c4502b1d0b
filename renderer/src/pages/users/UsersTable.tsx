import { listUsers } from '../../api/users.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';

/** Everyone with a role in the estate; `version` changes after a user is added so the list reloads. */
export function UsersTable({ estateId, version }: { estateId: string; version: number }) {
  const calendar = useEstateCalendar();
  const { t, tDynamic, locale } = useI18n();
  const users = useApiData(() => listUsers(estateId), `${estateId}/${version}`);
  if (users.error) return <ErrorBanner error={users.error} onRetry={users.reload} />;
  return (
    <section className="card">
      <h2 className="card__title">{t('users.list_title')}</h2>
      <table className="table" data-testid="users-table">
        <thead>
          <tr>
            <th>{t('users.name')}</th>
            <th>{t('users.role')}</th>
            <th>{t('users.contact')}</th>
            <th>{t('users.status')}</th>
            <th>{t('users.last_login')}</th>
          </tr>
        </thead>
        <tbody>
          {users.data?.items.map((user) => (
            <tr key={user.membership_id}>
              <td className="table__key">{user.name}</td>
              <td>{tDynamic(`auth.role_${user.role}`, user.role)}</td>
              <td className="table__muted">{[user.email, user.phone].filter(Boolean).join(' · ')}</td>
              <td>
                <Badge tone={user.status === 'active' ? 'green' : 'amber'}>{tDynamic(`users.status_${user.status}`, user.status)}</Badge>
              </td>
              <td>{user.last_login_at ? calendar.formatDateTime(user.last_login_at, locale) : t('common.none')}</td>
            </tr>
          ))}
          {users.data?.pending_invitations?.map((invitation) => (
            <tr key={invitation.id} data-testid="pending-invitation-row">
              <td className="table__key">{invitation.name}</td>
              <td>{tDynamic(`auth.role_${invitation.role}`, invitation.role)}</td>
              <td className="table__muted">{[invitation.email, invitation.phone].filter(Boolean).join(' · ')}</td>
              <td>
                <Badge tone="amber">{t('users.status_pending')}</Badge>
              </td>
              <td>{t('common.none')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}
