import { Icon, type IconName } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';

const COMING: [IconName, MessageKey][] = [
  ['receipt', 'portal.coming_bills'],
  ['residents', 'portal.coming_guests'],
  ['book', 'portal.coming_news'],
];

/** Placeholder until the residents' pages (bills, guests, announcements) land. */
export default function PortalHomePage() {
  const { t } = useI18n();
  const { state } = useSession();
  const name = state.status === 'authenticated' ? state.session.user.name : '';
  return (
    <>
      <PageHeader title={t('portal.home_greeting', { name })} subtitle={t('portal.home_title')} />
      <p className="muted">{t('portal.home_body')}</p>
      <ul className="tiles">
        {COMING.map(([icon, label]) => (
          <li key={label} className="tile">
            <Icon name={icon} size={26} />
            <span className="tile__label">{t(label)}</span>
            <span className="tile__note">{t('portal.coming_soon')}</span>
          </li>
        ))}
      </ul>
    </>
  );
}
