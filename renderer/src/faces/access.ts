import type { Session } from '../session/SessionProvider.tsx';
import type { Access } from './types.ts';

/** Whether the signed-in user may open a route with this access rule. */
export function mayOpen(session: Session, access: Access): boolean {
  if (access === 'public' || access === 'guest') return true;
  if (session.state.status !== 'authenticated') return false;
  if (access === 'authenticated') return true;
  return session.can(access);
}
