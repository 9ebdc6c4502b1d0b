import { useEffect } from 'react';
import { Icon } from '../../components/Icon.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/** Placeholder until the scan → verdict screen lands. */
export default function KioskHomePage() {
  const { t } = useI18n();
  useEffect(() => {
    document.title = `${t('kiosk.home_title')} · Klustera`;
  }, [t]);
  return (
    <section className="kiosk-home">
      <div className="kiosk-home__icon">
        <Icon name="gate" size={96} />
      </div>
      <h1 className="kiosk-home__title">{t('kiosk.home_title')}</h1>
      <p className="kiosk-home__status">{t('kiosk.home_waiting')}</p>
      <p className="kiosk-home__note">{t('kiosk.home_body')}</p>
      <p className="kiosk-home__note">{t('kiosk.home_note')}</p>
    </section>
  );
}
