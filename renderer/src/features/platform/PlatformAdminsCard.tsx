import { useConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { formatDateTime } from '../../format/date.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { listPlatformAdmins, revokePlatformAdmin, type PlatformAdmin } from './api.ts';
import type { Report } from './report.ts';

/** The server's own zone for sign-in times: a platform admin belongs to no estate's calendar. */
const PLATFORM_ZONE = 'Asia/Jakarta';

export function PlatformAdminsCard({ version, onChanged, report }: { version: number; onChanged: () => void; report: Report }) {
  const { t, locale } = useI18n();
  const { state } = useSession();
  const me = state.status === 'authenticated' ? state.session.user.id : null;
  const { confirm, dialog } = useConfirmDialog();
  const { data, error, reload } = useApiData((signal) => listPlatformAdmins(signal), String(version));
  const revoke = async (admin: PlatformAdmin) => {
    const yes = await confirm({
      title: t('platform.admin_revoke_title', { name: admin.name }),
      text: t('platform.admin_revoke_text'),
      confirmLabel: t('platform.admin_revoke'),
      tone: 'danger',
    });
    if (!yes) return;
    try {
      await revokePlatformAdmin(admin.id);
      onChanged();
    } catch (cause) {
      report.error(cause);
    }
  };
  return (
    <section className="card" data-testid="platform-admins">
      <h2 className="card__title">{t('platform.admins_title')}</h2>
      <p className="muted">{t('platform.admins_intro')}</p>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      <ul className="people">
        {data?.items.map((admin) => (
          <li key={admin.id} className="people__item" data-testid="platform-admin">
            <span>
              <span className="people__name">{admin.name}</span>
              {admin.id === me && <span className="muted"> ({t('platform.admin_you')})</span>}
              <span className="muted platform__small platform__block">{[admin.email, admin.phone].filter(Boolean).join(' · ')}</span>
              <span className="muted platform__small platform__block">
                {t('platform.col_last_login')}:{' '}
                {admin.last_login_at ? formatDateTime(admin.last_login_at, locale, PLATFORM_ZONE) : t('platform.never_signed_in')}
              </span>
            </span>
            <button type="button" className="btn btn--ghost btn--small" onClick={() => void revoke(admin)}>
              {t('platform.admin_revoke')}
            </button>
          </li>
        ))}
      </ul>
      {dialog}
    </section>
  );
}
