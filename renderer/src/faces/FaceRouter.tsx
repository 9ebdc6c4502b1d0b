import { Suspense, lazy, useEffect } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { matchPath } from '../router/matchPath.ts';
import { navigate, useLocation } from '../router/navigation.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { Loading, MessageScreen, NotFound } from '../components/StatusScreens.tsx';
import { PendingInvitations } from '../pages/users/PendingInvitations.tsx';
import { useEstateSuspended } from '../api/estate-suspension.ts';
import { mayOpen } from './access.ts';
import { faceForPath, pathInFace } from './faces.ts';
import type { Face, PageRoute } from './types.ts';

const SetupPage = lazy(() => import('../pages/setup/SetupPage.tsx'));

function findRoute(face: Face, path: string): { route: PageRoute; params: Record<string, string> } | null {
  for (const route of face.routes) {
    const params = matchPath(route.path, path);
    if (params) return { route, params };
  }
  return null;
}

/** Replaces the URL after render; rendering must not navigate. */
function Redirect({ to }: { to: string }) {
  useEffect(() => navigate(to, { replace: true }), [to]);
  return <Loading />;
}

/** After sign-in, go back where the user was headed, but only to a path of this app (never an outside URL). */
export function safeNext(search: string, fallback: string): string {
  const next = new URLSearchParams(search).get('next');
  return next && next.startsWith('/') && !next.startsWith('//') ? next : fallback;
}

export function FaceRouter() {
  const { pathname, search } = useLocation();
  const session = useSession();
  const { t } = useI18n();
  const face = faceForPath(pathname);
  const path = pathInFace(face, pathname);
  const { state } = session;
  const estateSuspended = useEstateSuspended();

  if (state.status === 'loading') {
    // The page's chunk loads while the session does, so the page renders without suspending once it is known.
    void findRoute(face, path)
      ?.route.page.preload()
      .catch(() => undefined);
    return <Loading />;
  }
  if (state.status === 'unreachable') {
    return (
      <MessageScreen
        title={t('common.offline_title')}
        body={t('common.offline_body')}
        action={
          <button type="button" className="btn btn--primary" onClick={() => void session.reload()}>
            {t('common.retry')}
          </button>
        }
      />
    );
  }
  if (state.status === 'setup_required') {
    if (face.name !== 'desktop') {
      return <MessageScreen title={t('auth.setup_not_done_title')} body={t('auth.setup_not_done_body')} />;
    }
    if (path !== '/setup') return <Redirect to="/setup" />;
    return (
      <Suspense fallback={<Loading />}>
        <SetupPage />
      </Suspense>
    );
  }

  // Office, portal and kiosk alike: one plain message instead of screens whose every request is refused.
  if (estateSuspended) {
    return (
      <MessageScreen
        title={t('platform.suspended_screen_title')}
        body={t('platform.suspended_screen_body')}
        action={
          <button type="button" className="btn btn--secondary" onClick={() => window.location.reload()}>
            {t('common.retry')}
          </button>
        }
      />
    );
  }

  const signedIn = state.status === 'authenticated';
  if (path === '/setup') return <Redirect to={signedIn ? face.home : face.login} />;

  const found = findRoute(face, path);
  if (!found) {
    if (path === '/' && face.home !== pathname) return <Redirect to={signedIn ? face.home : face.login} />;
    return signedIn ? (
      <face.Shell face={face}>
        <NotFound home={face.home} />
      </face.Shell>
    ) : (
      <Redirect to={face.login} />
    );
  }

  const { route, params } = found;
  if (route.access === 'guest' && signedIn) return <Redirect to={safeNext(search, face.home)} />;
  if (route.access !== 'public' && route.access !== 'guest' && !signedIn) {
    return <Redirect to={`${face.login}?next=${encodeURIComponent(pathname + search)}`} />;
  }
  if (signedIn && route.access !== 'public' && route.access !== 'guest' && !session.membership && !state.session.user.is_platform_admin) {
    // Someone whose only way in is an invitation answers it here.
    return <MessageScreen title={t('common.app_name')} body={t('common.no_estate')} action={<PendingInvitations />} />;
  }

  const content = (
    <Suspense fallback={<Loading />}>
      {mayOpen(session, route.access) ? (
        <route.page key={route.path} params={params} />
      ) : (
        <MessageScreen title={t('errors.FORBIDDEN')} body="" />
      )}
    </Suspense>
  );
  return route.bare || !signedIn ? content : <face.Shell face={face}>{content}</face.Shell>;
}
