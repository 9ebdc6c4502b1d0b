import { page, type PageRoute } from '../types.ts';

/** The guard-post face: full screen, huge type. Paths are relative to /kiosk. One line per page. */
export const kioskRoutes: PageRoute[] = [
  { path: '/', access: 'public', bare: true, page: page(() => import('../../gate/KioskGatePage.tsx')) },
  { path: '/login', access: 'guest', bare: true, page: page(() => import('../../pages/auth/LoginPage.tsx')) },
];
