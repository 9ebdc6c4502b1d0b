import type { ReactNode } from 'react';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Icon } from '../../components/Icon.tsx';

/** The centred card of sign-in, setup and invite screens, with the language switch reachable before sign-in. */
export function AuthLayout({ title, subtitle, children, wide }: { title: string; subtitle?: string; children: ReactNode; wide?: boolean }) {
  return (
    <main className="auth">
      <div className="auth__top">
        <span className="auth__brand">
          <span className="sidebar__logo" aria-hidden="true">
            <Icon name="home" size={18} />
          </span>
          Klustera
        </span>
        <LanguageSwitch />
      </div>
      <section className={`card auth__card${wide ? ' auth__card--wide' : ''}`}>
        <h1 className="auth__title">{title}</h1>
        {subtitle && <p className="auth__subtitle">{subtitle}</p>}
        {children}
      </section>
    </main>
  );
}
