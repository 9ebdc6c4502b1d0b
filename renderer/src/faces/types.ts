import { createElement, lazy, type ComponentType, type ReactNode } from 'react';
import type { Permission } from '../../../server/auth/permissions.ts';
import type { IconName } from '../components/Icon.tsx';
import type { MessageKey } from '../i18n/messages.ts';
import type { Params } from '../router/matchPath.ts';

export interface PageProps {
  params: Params;
}

export type Page = ComponentType<PageProps> & {
  /** Starts loading the page's chunk (once); resolves when it can render without suspending. */
  preload(): Promise<void>;
};

/**
 * Each page is its own chunk: the guard-post tablet never downloads the treasurer's screens. A page whose chunk is
 * already here renders at once instead of suspending: React holds a suspended boundary's content back for ~300 ms
 * after its fallback, and the page's data request waits for that, so the router preloads the page it is about to
 * show while the session loads (FaceRouter).
 */
export function page(load: () => Promise<{ default: ComponentType<PageProps> }>): Page {
  let loaded: ComponentType<PageProps> | undefined;
  let pending: Promise<void> | undefined;
  const preload = () =>
    (pending ??= load().then((module) => {
      loaded = module.default;
    }));
  const Lazy = lazy(() => preload().then(() => ({ default: loaded! })));
  const Page = (props: PageProps) => createElement(loaded ?? Lazy, props);
  return Object.assign(Page, { preload });
}

/**
 * Who may open a route. `public`: anyone (invite acceptance). `guest`: only when signed out (login); a signed-in
 * user is sent home. `authenticated`: any signed-in user. A permission key: signed in with that permission.
 */
export type Access = 'public' | 'guest' | 'authenticated' | Permission;

export type NavSection = 'data' | 'finance' | 'admin';

export interface PageRoute {
  /** Relative to the face's base: `/units/:id` in the office is `/units/:id`, `/invite/:code` in the portal is
   * `/portal/invite/:code`. */
  path: string;
  page: Page;
  access: Access;
  /** Shown in the face's navigation when present. Hidden when the user lacks `access`. */
  nav?: { label: MessageKey; icon: IconName; section: NavSection; badge?: ComponentType };
  /** Rendered without the face's chrome (sidebar, header): sign-in screens. */
  bare?: boolean;
}

export type FaceName = 'desktop' | 'portal' | 'kiosk';

export interface Face {
  name: FaceName;
  /** '' for the office, '/portal', '/kiosk'. */
  base: string;
  routes: PageRoute[];
  /** Where `/` of the face leads a signed-in user. */
  home: string;
  login: string;
  Shell: ComponentType<{ face: Face; children: ReactNode }>;
}
