import { useState, type ComponentType, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useLocation } from '../../router/navigation.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { Icon } from '../../components/Icon.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { mayOpen } from '../access.ts';
import { PendingInvitations } from '../../pages/users/PendingInvitations.tsx';
import { UserMenu } from '../UserMenu.tsx';
import type { Face, NavSection } from '../types.ts';

const SECTIONS: { id: NavSection; label: 'nav.section_data' | 'nav.section_finance' | 'nav.section_admin' }[] = [
  { id: 'data', label: 'nav.section_data' },
  { id: 'finance', label: 'nav.section_finance' },
  { id: 'admin', label: 'nav.section_admin' },
];

function NavBadge({ component: Count }: { component: ComponentType }) {
  return <Count />;
}

export function DesktopShell({ face, children }: { face: Face; children: ReactNode }) {
  const { t } = useI18n();
  const session = useSession();
  const { pathname } = useLocation();
  const [menuOpen, setMenuOpen] = useState(false);
  const navRoutes = face.routes.filter((route) => route.nav && mayOpen(session, route.access));
  // One item is active: the longest link the page is at or under, so /settings/sync marks Sinkronisasi and not also
  // Pengaturan, while /units/:id still marks Unit.
  const activeHref = navRoutes
    .map((route) => face.base + route.path)
    .filter((href) => pathname === href || pathname.startsWith(`${href}/`))
    .reduce<string | undefined>((longest, href) => (longest && longest.length >= href.length ? longest : href), undefined);

  return (
    <div className={`desktop${menuOpen ? ' desktop--menu-open' : ''}`}>
      <aside className="sidebar" aria-label={t('nav.face_office')}>
        <div className="sidebar__brand">
          <span className="sidebar__logo" aria-hidden="true">
            <Icon name="home" size={18} />
          </span>
          <div>
            <div className="sidebar__product">{t('common.app_name')}</div>
            <div className="sidebar__estate" data-testid="estate-name">
              {session.membership?.estate_name}
            </div>
          </div>
        </div>
        <nav className="sidebar__nav" onClick={() => setMenuOpen(false)}>
          {SECTIONS.map((section) => {
            const routes = navRoutes.filter((route) => route.nav!.section === section.id);
            if (routes.length === 0) return null;
            return (
              <div key={section.id} className="sidebar__section">
                <div className="sidebar__section-label">{t(section.label)}</div>
                {routes.map((route) => {
                  const href = face.base + route.path;
                  const active = href === activeHref;
                  return (
                    <Link
                      key={route.path}
                      href={href}
                      className={`sidebar__link${active ? ' sidebar__link--active' : ''}`}
                      aria-current={active ? 'page' : undefined}
                    >
                      <Icon name={route.nav!.icon} />
                      {t(route.nav!.label)}
                      {route.nav!.badge ? <NavBadge component={route.nav!.badge} /> : null}
                    </Link>
                  );
                })}
              </div>
            );
          })}
        </nav>
      </aside>
      <div className="desktop__main">
        <header className="topbar">
          <button
            type="button"
            className="btn btn--ghost btn--icon topbar__menu"
            aria-label={t('nav.open_menu')}
            onClick={() => setMenuOpen((open) => !open)}
          >
            <Icon name="menu" />
          </button>
          <div className="topbar__spacer" />
          <LanguageSwitch />
          <UserMenu face={face} />
        </header>
        <main className="content">
          <PendingInvitations />
          {children}
        </main>
      </div>
    </div>
  );
}
