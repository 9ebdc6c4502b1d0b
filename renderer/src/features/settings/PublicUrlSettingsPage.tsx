import { useEffect, useState, type FormEvent } from 'react';
import type { PublicUrlAnswer } from '../../../../server/public-url/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';
import { BankAccountSettings } from './BankAccountSettings.tsx';
import { EstateExportCard } from './EstateExportCard.tsx';

const FIELDS = ['public_url'] as const;

/**
 * The address phones open: invitations, receipt QR codes and kiosk pairing all start with it. It belongs to this
 * server, not to one estate, so only the installation's administrator changes it, and not when the server was
 * started with a fixed address.
 */
export default function PublicUrlSettingsPage() {
  const { t } = useI18n();
  const { can, membership } = useSession();
  const form = useApiForm(FIELDS);
  const { data, error, reload } = useApiData(
    (signal) => api.get<PublicUrlAnswer>('/installation/public-url', undefined, signal),
    'public-url',
  );
  const [value, setValue] = useState('');
  const [saved, setSaved] = useState<PublicUrlAnswer | null>(null);
  const current = saved ?? data;
  useEffect(() => {
    if (data) setValue(data.stored ?? '');
  }, [data]);
  const editable = Boolean(current?.editable) && can('installation.write');

  const save = (publicUrl: string | null) =>
    form.submit(async () => {
      const answer = await apiRequest<PublicUrlAnswer>('PUT', '/installation/public-url', { body: { public_url: publicUrl } });
      setSaved(answer);
      setValue(answer.stored ?? '');
    });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void save(value.trim() === '' ? null : value.trim());
  };

  return (
    <>
      <PageHeader title={t('settings.title')} subtitle={t('settings.subtitle')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {current && (
        <form className="card form" onSubmit={onSubmit} noValidate data-testid="public-url-form">
          <h2 className="card__title">{t('settings.public_url_title')}</h2>
          <p className="muted">{t('settings.public_url_intro')}</p>
          <p>
            {t('settings.public_url_current')} <strong data-testid="public-url-current">{current.public_url}</strong>{' '}
            <span className="muted" data-testid="public-url-source">
              ({t(`settings.source_${current.source}`)})
            </span>
          </p>
          {saved && (
            <p className="banner banner--success" role="status">
              {t('settings.saved')}
            </p>
          )}
          {form.formError && <ErrorBanner error={form.formError} />}
          {editable ? (
            <>
              <Field
                label={t('settings.public_url_label')}
                hint={t('settings.public_url_hint', { example: current.default_url })}
                error={form.fieldErrors.public_url}
              >
                <input
                  className="input"
                  name="public_url"
                  inputMode="url"
                  autoComplete="off"
                  spellCheck={false}
                  placeholder={current.default_url}
                  value={value}
                  onChange={(e) => {
                    setValue(e.target.value);
                    form.clearField('public_url');
                  }}
                />
              </Field>
              <div className="form__actions">
                <button type="submit" className="btn btn--primary" disabled={form.submitting}>
                  {t('common.save')}
                </button>
                {current.stored && (
                  <button type="button" className="btn btn--secondary" disabled={form.submitting} onClick={() => void save(null)}>
                    {t('settings.use_default')}
                  </button>
                )}
              </div>
            </>
          ) : (
            <p className="muted" data-testid="public-url-readonly">
              {t(current.editable ? 'settings.admin_only' : 'settings.fixed_at_startup')}
            </p>
          )}
        </form>
      )}
      {membership && <BankAccountSettings estateId={membership.estate_id} />}
      {membership && can('estates.export') && <EstateExportCard estateId={membership.estate_id} />}
    </>
  );
}
