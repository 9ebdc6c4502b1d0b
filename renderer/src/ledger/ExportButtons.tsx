import { useI18n } from '../i18n/I18nProvider.tsx';
import { fileUrl } from './api.ts';

/** Links the browser downloads itself (the session cookie goes along), so a large export never passes through JS. */
export function ExportButtons({ path, query }: { path: string; query: Record<string, string | number> }) {
  const { t } = useI18n();
  return (
    <>
      <a className="btn btn--secondary btn--small" href={fileUrl(path, { ...query, format: 'xlsx' })} download data-testid="export-xlsx">
        {t('ledger.export_xlsx')}
      </a>
      <a className="btn btn--secondary btn--small" href={fileUrl(path, { ...query, format: 'pdf' })} download data-testid="export-pdf">
        {t('ledger.export_pdf')}
      </a>
    </>
  );
}
