import { Icon, type IconName } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { Link } from '../../router/Link.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

const TILES: { icon: IconName; label: MessageKey; note: MessageKey; href?: string }[] = [
  { icon: 'receipt', label: 'portal.tile_bills', note: 'portal.tile_bills_note', href: '/portal/bills' },
  { icon: 'residents', label: 'portal.tile_guests', note: 'portal.tile_guests_note', href: '/portal/guests' },
  { icon: 'book', label: 'portal.tile_news', note: 'portal.coming_soon' },
];

/** The resident's start page: their bills, their guests, and what is still to come. */
export default function PortalHomePage() {
  const { t } = useI18n();
  const { state } = useSession();
  const name = state.status === 'authenticated' ? state.session.user.name : '';
  return (
    <>
      <PageHeader title={t('portal.home_greeting', { name })} subtitle={t('portal.home_title')} />
      <p className="muted">{t('portal.home_body')}</p>
      <ul className="tiles">
        {TILES.map((tile) => {
          const body = (
            <>
              <Icon name={tile.icon} size={26} />
              <span className="tile__label">{t(tile.label)}</span>
              <span className="tile__note">{t(tile.note)}</span>
            </>
          );
          return (
            <li key={tile.label} className="tile">
              {tile.href ? (
                <Link href={tile.href} className="tile__link" data-testid={`tile-${tile.href.split('/').pop()}`}>
                  {body}
                </Link>
              ) : (
                body
              )}
            </li>
          );
        })}
      </ul>
    </>
  );
}
