import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { getHealth, getMe, logout as apiLogout } from '../api/auth.ts';
import { setCsrfToken } from '../api/client.ts';
import { isApiError } from '../api/errors.ts';
import type { AuthSession, Membership } from '../api/types.ts';
import { roleHasPermission, type Permission } from '../../../server/auth/permissions.ts';

export type SessionState =
  | { status: 'loading' }
  | { status: 'unreachable' }
  | { status: 'setup_required' }
  | { status: 'anonymous' }
  | { status: 'authenticated'; session: AuthSession };

export interface Session {
  state: SessionState;
  /** The estate the office screens work on: the remembered choice, else the first membership. */
  membership: Membership | null;
  signedIn: (session: AuthSession) => void;
  signOut: () => Promise<void>;
  reload: () => Promise<void>;
  can: (permission: Permission) => boolean;
}

const ESTATE_KEY = 'klustera.estate';
const SessionContext = createContext<Session | null>(null);

export function SessionProvider({ children }: { children: ReactNode }) {
  const [state, setState] = useState<SessionState>({ status: 'loading' });

  const signedIn = useCallback((session: AuthSession) => {
    setCsrfToken(session.csrf_token);
    setState({ status: 'authenticated', session });
  }, []);

  const reload = useCallback(async () => {
    // Both questions at once: on the office's own server the session answer is what the first paint waits for.
    const me = getMe();
    me.catch(() => undefined);
    try {
      const health = await getHealth();
      if (health.setup_required) {
        setState({ status: 'setup_required' });
        return;
      }
    } catch {
      setState({ status: 'unreachable' });
      return;
    }
    try {
      signedIn(await me);
    } catch (error) {
      if (isApiError(error) && error.status === 401) setState({ status: 'anonymous' });
      else setState({ status: 'unreachable' });
    }
  }, [signedIn]);

  useEffect(() => {
    void reload();
  }, [reload]);

  const signOut = useCallback(async () => {
    try {
      await apiLogout();
    } finally {
      setCsrfToken(null);
      setState({ status: 'anonymous' });
    }
  }, []);

  const value = useMemo<Session>(() => {
    const memberships = state.status === 'authenticated' ? state.session.memberships : [];
    const remembered = localStorage.getItem(ESTATE_KEY);
    const membership = memberships.find((m) => m.estate_id === remembered) ?? memberships[0] ?? null;
    const isPlatformAdmin = state.status === 'authenticated' && state.session.user.is_platform_admin;
    return {
      state,
      membership,
      signedIn,
      signOut,
      reload,
      can: (permission) => isPlatformAdmin || (membership !== null && roleHasPermission(membership.role, permission)),
    };
  }, [state, signedIn, signOut, reload]);

  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const value = useContext(SessionContext);
  if (!value) throw new Error('useSession outside SessionProvider');
  return value;
}

/** For pages inside the office shell, which only renders them once an estate is known. */
export function useEstateId(): string {
  const { membership } = useSession();
  if (!membership) throw new Error('useEstateId without an estate membership');
  return membership.estate_id;
}
