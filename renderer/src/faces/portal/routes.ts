import { page, type PageRoute } from '../types.ts';

/** The residents' portal, phone-first. Paths are relative to /portal. One line per page. */
export const portalRoutes: PageRoute[] = [
  {
    path: '/bills',
    access: 'portal.self',
    nav: { label: 'ledger.portal_bills', icon: 'receipt', section: 'finance' },
    page: page(() => import('../../ledger/portal/MyBillsPage.tsx')),
  },
  { path: '/', access: 'authenticated', page: page(() => import('../../pages/portal/PortalHomePage.tsx')) },
  {
    path: '/guests',
    access: 'portal.self',
    nav: { label: 'gate.portal_guests', icon: 'residents', section: 'data' },
    page: page(() => import('../../gate/PortalGuestsPage.tsx')),
  },
  {
    path: '/announcements',
    access: 'portal.self',
    nav: { label: 'announcements.portal_nav', icon: 'megaphone', section: 'data' },
    page: page(() => import('../../features/announcements/PortalAnnouncementsPage.tsx')),
  },
  {
    path: '/announcements/:id',
    access: 'portal.self',
    page: page(() => import('../../features/announcements/PortalAnnouncementPage.tsx')),
  },
  { path: '/notifications', access: 'portal.self', page: page(() => import('../../features/notifications/NotificationsPage.tsx')) },
  { path: '/login', access: 'guest', bare: true, page: page(() => import('../../pages/auth/LoginPage.tsx')) },
  { path: '/invite/:code', access: 'public', bare: true, page: page(() => import('../../pages/portal/InviteAcceptPage.tsx')) },
  { path: '/reset/:token', access: 'public', bare: true, page: page(() => import('../../pages/portal/PasswordResetPage.tsx')) },
];
