import type { MemberLink } from '../../../../server/users/schemas.ts';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';

/**
 * A one-time password link (or an invite sent again) as the office passes it on: the link to copy and a ready
 * WhatsApp message. Shown once; the server keeps only the link's hash.
 */
export function MemberLinkCard({ name, link, onClose }: { name: string; link: MemberLink; onClose: () => void }) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  return (
    <section className="card invite member-link" data-testid="member-link-card">
      <h2 className="card__title">{t('users.link_title', { name })}</h2>
      <p className="muted">{t('users.link_body', { name, until: calendar.formatDateTime(link.expires_at, locale) })}</p>
      {link.code && (
        <>
          <div className="invite__label">{t('users.invite_code')}</div>
          <code className="invite__code">{link.code}</code>
        </>
      )}
      <div className="invite__label">{t('users.invite_link')}</div>
      <div className="invite__row">
        <a className="invite__link" href={link.url} data-testid="member-link-url">
          {link.url}
        </a>
        <button type="button" className="btn btn--ghost btn--small" onClick={() => void navigator.clipboard?.writeText(link.url)}>
          <Icon name="copy" size={16} />
          {t('common.copy')}
        </button>
      </div>
      <div className="member-link__actions">
        <a
          className="btn btn--whatsapp"
          href={link.whatsapp_url}
          target="_blank"
          rel="noreferrer noopener"
          data-testid="member-link-whatsapp"
        >
          <Icon name="whatsapp" size={18} />
          {t('users.link_whatsapp')}
        </a>
        <button type="button" className="btn btn--ghost" onClick={onClose}>
          {t('common.close')}
        </button>
      </div>
    </section>
  );
}
