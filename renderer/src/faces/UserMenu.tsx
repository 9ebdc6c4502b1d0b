import { useEffect, useRef, useState } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { navigate } from '../router/navigation.ts';
import { useSession } from '../session/SessionProvider.tsx';
import { Icon } from '../components/Icon.tsx';
import type { Face } from './types.ts';

function initials(name: string): string {
  return name
    .split(/\s+/)
    .filter(Boolean)
    .slice(0, 2)
    .map((word) => word[0]!.toUpperCase())
    .join('');
}

/** Name, role and sign-out; shared by every face's chrome. */
export function UserMenu({ face }: { face: Face }) {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const close = (event: MouseEvent) => {
      if (!ref.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', close);
    return () => document.removeEventListener('mousedown', close);
  }, [open]);

  if (session.state.status !== 'authenticated') return null;
  const { user } = session.state.session;
  const role = session.membership?.role ?? (user.is_platform_admin ? 'platform_admin' : null);

  const signOut = async () => {
    setOpen(false);
    await session.signOut();
    navigate(face.login);
  };

  return (
    <div className="user-menu" ref={ref}>
      <button
        type="button"
        className="user-menu__button"
        aria-haspopup="menu"
        aria-expanded={open}
        aria-label={t('common.user_menu')}
        onClick={() => setOpen((value) => !value)}
      >
        <span className="avatar" aria-hidden="true">
          {initials(user.name)}
        </span>
        <span className="user-menu__who">
          <span className="user-menu__name">{user.name}</span>
          {role && <span className="user-menu__role">{tDynamic(`auth.role_${role}`, role)}</span>}
        </span>
      </button>
      {open && (
        <div className="user-menu__panel" role="menu">
          <div className="user-menu__contact">{user.email ?? user.phone}</div>
          <button type="button" role="menuitem" className="user-menu__item" onClick={() => void signOut()}>
            <Icon name="logout" size={18} />
            {t('common.logout')}
          </button>
        </div>
      )}
    </div>
  );
}
