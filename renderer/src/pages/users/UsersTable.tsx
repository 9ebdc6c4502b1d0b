import { useState } from 'react';
import type { MemberLink } from '../../../../server/users/schemas.ts';
import { changeMemberRole, createPasswordLink, listUsers, resendInvite, setMemberActive } from '../../api/users.ts';
import type { EstateUser, Role } from '../../api/types.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { MemberLinkCard } from './MemberLinkCard.tsx';
import './members.css';

/** Office roles swap among themselves; a resident's role is tied to their resident record (the server says so too). */
const OFFICE_ROLES: Role[] = ['estate_admin', 'treasurer', 'staff', 'guard'];

/** Everyone with a role in the estate; `version` changes after a user is added so the list reloads. */
export function UsersTable({ estateId, version }: { estateId: string; version: number }) {
  const calendar = useEstateCalendar();
  const { t, tDynamic, locale } = useI18n();
  const { can } = useSession();
  const [changes, setChanges] = useState(0);
  const users = useApiData(() => listUsers(estateId), `${estateId}/${version}/${changes}`);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [link, setLink] = useState<{ name: string; link: MemberLink } | null>(null);
  const canWrite = can('users.write');

  const act = async (user: EstateUser, run: () => Promise<string | null>) => {
    setBusy(user.membership_id);
    setError(null);
    setNotice(null);
    try {
      setNotice(await run());
      setChanges((n) => n + 1);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };
  const roleName = (role: string) => tDynamic(`auth.role_${role}`, role);

  const actions = (user: EstateUser) => {
    const off = user.deactivated_at !== null;
    return (
      <div className="member-actions">
        {canWrite && (
          <button
            type="button"
            className="btn btn--ghost btn--small"
            data-testid={off ? 'member-reactivate' : 'member-deactivate'}
            disabled={busy !== null}
            onClick={() =>
              void act(user, async () => {
                await setMemberActive(estateId, user.membership_id, off);
                return t(off ? 'users.reactivated' : 'users.deactivated', { name: user.name });
              })
            }
          >
            {t(off ? 'users.reactivate' : 'users.deactivate')}
          </button>
        )}
        {canWrite && !off && user.status === 'active' && (
          <button
            type="button"
            className="btn btn--ghost btn--small"
            data-testid="member-reset-link"
            disabled={busy !== null}
            onClick={() =>
              void act(user, async () => {
                setLink({ name: user.name, link: await createPasswordLink(estateId, user.membership_id) });
                return null;
              })
            }
          >
            {t('users.reset_link')}
          </button>
        )}
        {!off && user.status === 'invited' && (canWrite || user.role === 'resident') && (
          <button
            type="button"
            className="btn btn--ghost btn--small"
            data-testid="member-resend-invite"
            disabled={busy !== null}
            onClick={() =>
              void act(user, async () => {
                setLink({ name: user.name, link: await resendInvite(estateId, user.membership_id) });
                return null;
              })
            }
          >
            {t('users.resend_invite')}
          </button>
        )}
      </div>
    );
  };

  if (users.error) return <ErrorBanner error={users.error} onRetry={users.reload} />;
  return (
    <section className="card">
      <h2 className="card__title">{t('users.list_title')}</h2>
      {error !== null && <ErrorBanner error={error} />}
      {notice && (
        <div className="banner banner--success" role="status" data-testid="member-notice">
          {notice}
        </div>
      )}
      {link && <MemberLinkCard name={link.name} link={link.link} onClose={() => setLink(null)} />}
      <div className="members__scroll">
        <table className="table" data-testid="users-table">
          <thead>
            <tr>
              <th>{t('users.name')}</th>
              <th>{t('users.role')}</th>
              <th>{t('users.contact')}</th>
              <th>{t('users.status')}</th>
              <th>{t('users.last_login')}</th>
              <th>{t('users.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.data?.items.map((user) => (
              <tr key={user.membership_id} data-testid="member-row" data-name={user.name}>
                <td className="table__key">{user.name}</td>
                <td>
                  {canWrite && user.role !== 'resident' ? (
                    <select
                      className="input input--small"
                      // A title, not a label: the column header names the field, and the add form's "Peran" stays the only one.
                      title={t('users.change_role', { name: user.name })}
                      value={user.role}
                      disabled={busy !== null}
                      onChange={(e) => {
                        const role = e.target.value as Role;
                        void act(user, async () => {
                          await changeMemberRole(estateId, user.membership_id, role);
                          return t('users.role_changed', { name: user.name, role: roleName(role) });
                        });
                      }}
                    >
                      {OFFICE_ROLES.map((role) => (
                        <option key={role} value={role}>
                          {roleName(role)}
                        </option>
                      ))}
                    </select>
                  ) : (
                    roleName(user.role)
                  )}
                </td>
                <td className="table__muted">{[user.email, user.phone].filter(Boolean).join(' · ')}</td>
                <td>
                  {user.deactivated_at ? (
                    <Badge tone="grey">{t('users.status_deactivated')}</Badge>
                  ) : (
                    <Badge tone={user.status === 'active' ? 'green' : 'amber'}>
                      {tDynamic(`users.status_${user.status}`, user.status)}
                    </Badge>
                  )}
                </td>
                <td>{user.last_login_at ? calendar.formatDateTime(user.last_login_at, locale) : t('common.none')}</td>
                <td>{actions(user)}</td>
              </tr>
            ))}
            {users.data?.pending_invitations?.map((invitation) => (
              <tr key={invitation.id} data-testid="pending-invitation-row">
                <td className="table__key">{invitation.name}</td>
                <td>{roleName(invitation.role)}</td>
                <td className="table__muted">{[invitation.email, invitation.phone].filter(Boolean).join(' · ')}</td>
                <td>
                  <Badge tone="amber">{t('users.status_pending')}</Badge>
                </td>
                <td>{t('common.none')}</td>
                <td />
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
