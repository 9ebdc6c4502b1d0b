import { useEffect, useState, type ReactNode } from 'react';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { LanguageSwitch } from '../../components/LanguageSwitch.tsx';
import { UserMenu } from '../UserMenu.tsx';
import type { Face } from '../types.ts';

function Clock() {
  const { locale } = useI18n();
  const { zone } = useEstateCalendar();
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1000);
    return () => clearInterval(timer);
  }, []);
  return (
    <time className="kiosk__clock" dateTime={now.toISOString()}>
      {new Intl.DateTimeFormat(locale, { hour: '2-digit', minute: '2-digit', timeZone: zone }).format(now)}
    </time>
  );
}

/** Guard post: dark, full screen, type readable from two metres away. */
export function KioskShell({ face, children }: { face: Face; children: ReactNode }) {
  const { membership } = useSession();
  return (
    <div className="kiosk">
      <header className="kiosk__header">
        <span className="kiosk__estate" data-testid="estate-name">
          {membership?.estate_name}
        </span>
        <Clock />
        <div className="kiosk__tools">
          <LanguageSwitch />
          <UserMenu face={face} />
        </div>
      </header>
      <main className="kiosk__content">{children}</main>
    </div>
  );
}
