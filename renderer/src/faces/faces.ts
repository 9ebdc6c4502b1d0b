import { desktopHome, desktopRoutes } from './desktop/routes.ts';
import { DesktopShell } from './desktop/DesktopShell.tsx';
import { portalRoutes } from './portal/routes.ts';
import { PortalShell } from './portal/PortalShell.tsx';
import { kioskRoutes } from './kiosk/routes.ts';
import { KioskShell } from './kiosk/KioskShell.tsx';
import type { Face } from './types.ts';

export const desktopFace: Face = {
  name: 'desktop',
  base: '',
  routes: desktopRoutes,
  // A page at '/' (the dashboard) is home; without one, the fallback in the route table is.
  home: desktopRoutes.some((route) => route.path === '/') ? '/' : desktopHome,
  login: '/login',
  Shell: DesktopShell,
};

export const portalFace: Face = {
  name: 'portal',
  base: '/portal',
  routes: portalRoutes,
  home: '/portal',
  login: '/portal/login',
  Shell: PortalShell,
};

export const kioskFace: Face = {
  name: 'kiosk',
  base: '/kiosk',
  routes: kioskRoutes,
  home: '/kiosk',
  login: '/kiosk/login',
  Shell: KioskShell,
};

export function faceForPath(pathname: string): Face {
  for (const face of [portalFace, kioskFace]) {
    if (pathname === face.base || pathname.startsWith(`${face.base}/`)) return face;
  }
  return desktopFace;
}

/** The path inside the face: `/portal/invite/X` → `/invite/X`. */
export function pathInFace(face: Face, pathname: string): string {
  return pathname.slice(face.base.length) || '/';
}
