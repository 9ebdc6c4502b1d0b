import { buildUrl } from '../../api/client.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/**
 * The whole estate as one archive, to move it to another installation (the hosted instance, or a new office PC). A
 * link the browser downloads itself (the session cookie goes along), so a large archive never passes through JS.
 */
export function EstateExportCard({ estateId }: { estateId: string }) {
  const { t } = useI18n();
  return (
    <section className="card" data-testid="estate-export">
      <h2 className="card__title">{t('settings.export_title')}</h2>
      <p className="muted">{t('settings.export_intro')}</p>
      <p className="muted">{t('settings.export_private')}</p>
      <div className="form__actions">
        <a className="btn btn--secondary" href={buildUrl(`/estates/${estateId}/export`)} download data-testid="estate-export-download">
          {t('settings.export_download')}
        </a>
      </div>
    </section>
  );
}
