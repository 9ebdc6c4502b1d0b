import { useState, type FormEvent } from 'react';
import type { EstateImportResponse } from '../../../../server/estate-transfer/schemas.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { importEstateArchive } from './api.ts';

/**
 * An estate moved here from another installation: its archive (Settings → "Download estate archive" there) becomes a
 * new estate, in one transaction. A refused archive (changed, from a newer version, too large, already here) writes
 * nothing, and the reason is shown in words.
 */
export function ImportEstateCard({ onImported }: { onImported: () => void }) {
  const { t } = useI18n();
  const [file, setFile] = useState<File | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<EstateImportResponse | null>(null);
  const onSubmit = async (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      setImported(await importEstateArchive(file));
      onImported();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form className="card form" onSubmit={(e) => void onSubmit(e)} noValidate data-testid="import-estate-form">
      <h2 className="card__title">{t('platform.import_title')}</h2>
      <p className="muted">{t('platform.import_intro')}</p>
      {error ? <ErrorBanner error={error} /> : null}
      {imported && (
        <p className="banner banner--success" role="status" data-testid="import-estate-done">
          {t('platform.import_done', {
            name: imported.estate_name,
            rows: imported.rows,
            files: imported.files,
            invited: imported.accounts.created_invited,
          })}
        </p>
      )}
      <Field label={t('platform.import_file')} hint={t('platform.import_file_hint')} required>
        <input
          className="input"
          type="file"
          name="archive"
          accept=".tar.gz,.tgz,application/gzip"
          onChange={(e) => {
            setFile(e.target.files?.[0] ?? null);
            setError(null);
            setImported(null);
          }}
        />
      </Field>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={!file || busy} data-testid="import-estate-submit">
          {busy ? t('platform.import_busy') : t('platform.import_submit')}
        </button>
      </div>
    </form>
  );
}
