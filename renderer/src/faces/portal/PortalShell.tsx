import type { ReactNode } from 'react';
import { useSession } from '../../session/SessionProvider.tsx';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { Link } from '../../router/Link.tsx';
import { UserMenu } from '../UserMenu.tsx';
import type { Face } from '../types.ts';

/** Phone-first: one column, a slim header, content at reading width even on a laptop. */
export function PortalShell({ face, children }: { face: Face; children: ReactNode }) {
  const { membership } = useSession();
  return (
    <div className="portal">
      <header className="portal__header">
        <Link href={face.home} className="portal__estate" data-testid="estate-name">
          {membership?.estate_name}
        </Link>
        <LanguageSwitch />
        <UserMenu face={face} />
      </header>
      <main className="portal__content">{children}</main>
    </div>
  );
}
