import { useState } from 'react';
import { acceptMembershipInvitation, declineMembershipInvitation, listMyInvitations } from '../../api/users.ts';
import type { MembershipInvitation } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import './pending-invitations.css';

/**
 * Estates that invite the signed-in user, shown above every office and portal page until answered. An invitation
 * gives no access until accepted here, by the user, signed in with their own password.
 */
export function PendingInvitations() {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [version, setVersion] = useState(0);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [joined, setJoined] = useState<string | null>(null);
  const invitations = useApiData((signal) => listMyInvitations(signal), String(version));
  const items = invitations.data?.items ?? [];
  if (items.length === 0 && !joined && !error) return null;

  const answer = async (invitation: MembershipInvitation, accept: boolean) => {
    setBusy(invitation.id);
    setError(null);
    try {
      if (accept) {
        session.signedIn(await acceptMembershipInvitation(invitation.id));
        setJoined(invitation.estate_name);
      } else {
        await declineMembershipInvitation(invitation.id);
      }
      setVersion((n) => n + 1);
    } catch (cause) {
      setError(cause);
      setVersion((n) => n + 1);
    } finally {
      setBusy(null);
    }
  };

  return (
    <section className="card pending-invitations" data-testid="pending-invitations" aria-live="polite">
      {error !== null && <ErrorBanner error={error} />}
      {joined && (
        <div className="banner banner--success" role="status">
          {t('users.accepted', { estate: joined })}
        </div>
      )}
      {items.length > 0 && <h2 className="card__title">{t('users.my_invitations_title')}</h2>}
      {items.map((invitation) => (
        <div key={invitation.id} className="banner pending-invitations__item">
          <span className="banner__text">
            {t('users.my_invitation', {
              estate: invitation.estate_name,
              role: tDynamic(`auth.role_${invitation.role}`, invitation.role),
            })}
            {invitation.invited_by_name && (
              <span className="banner__detail">{t('users.my_invitation_by', { name: invitation.invited_by_name })}</span>
            )}
          </span>
          <button type="button" className="btn btn--primary" disabled={busy !== null} onClick={() => void answer(invitation, true)}>
            {t('users.accept')}
          </button>
          <button type="button" className="btn btn--ghost" disabled={busy !== null} onClick={() => void answer(invitation, false)}>
            {t('users.decline')}
          </button>
        </div>
      ))}
    </section>
  );
}
