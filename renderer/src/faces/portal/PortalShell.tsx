import { useEffect, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useLocation } from '../../router/navigation.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { Icon } from '../../components/Icon.tsx';
import { mayOpen } from '../access.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Link } from '../../router/Link.tsx';
import { PendingInvitations } from '../../pages/users/PendingInvitations.tsx';
import { UserMenu } from '../UserMenu.tsx';
import { NotificationBell } from '../../features/notifications/NotificationBell.tsx';
import { linkPortalManifest, registerPortalWorker } from '../../features/notifications/portal-app.ts';
import type { Face } from '../types.ts';

/** Phone-first: one column, a slim header, content at reading width even on a laptop. */
export function PortalShell({ face, children }: { face: Face; children: ReactNode }) {
  const session = useSession();
  const { t } = useI18n();
  const { pathname } = useLocation();
  const { membership } = session;
  const navRoutes = face.routes.filter((route) => route.nav && mayOpen(session, route.access));
  // Installable as an app, and able to show pushes, from any portal page.
  useEffect(() => {
    const unlink = linkPortalManifest();
    void registerPortalWorker().catch(() => undefined);
    return unlink;
  }, []);
  return (
    <div className="portal">
      <header className="portal__header">
        <Link href={face.home} className="portal__estate" data-testid="estate-name">
          {membership?.estate_name}
        </Link>
        <NotificationBell href={`${face.base}/notifications`} />
        <LanguageSwitch />
        <UserMenu face={face} />
      </header>
      {navRoutes.length > 0 && (
        <nav className="portal__nav">
          {navRoutes.map((route) => {
            const href = face.base + route.path;
            return (
              <Link key={route.path} href={href} className="portal__nav-link" aria-current={pathname === href ? 'page' : undefined}>
                <Icon name={route.nav!.icon} size={18} />
                {t(route.nav!.label)}
              </Link>
            );
          })}
        </nav>
      )}
      <main className="portal__content">
        <PendingInvitations />
        {children}
      </main>
    </div>
  );
}
