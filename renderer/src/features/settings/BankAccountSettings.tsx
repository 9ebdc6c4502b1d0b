import { useEffect, useState, type FormEvent } from 'react';
import type { BankAccountAnswer } from '../../../../server/settings/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../../components/Field.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

const FIELDS = ['bank_name', 'account_number', 'account_holder'] as const;
const EMPTY = { bank_name: '', account_number: '', account_holder: '' };

/**
 * The account residents transfer their dues to, shown in the portal wherever they are asked to pay. A wrong digit
 * sends a resident's money to a stranger, so the estate's administrators set it and the number is checked here
 * (digits, spaces and dashes as printed on the passbook) before the server checks it again.
 */
export function BankAccountSettings({ estateId }: { estateId: string }) {
  const { t } = useI18n();
  const { can } = useSession();
  const form = useApiForm(FIELDS);
  const path = `/estates/${estateId}/settings/bank-account`;
  const { data, error, reload } = useApiData((signal) => api.get<BankAccountAnswer>(path, undefined, signal), path);
  const [values, setValues] = useState(EMPTY);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    if (data) setValues(data.bank_account ?? EMPTY);
  }, [data]);
  const editable = can('settings.write');
  const set = (key: keyof typeof EMPTY) => (e: React.ChangeEvent<HTMLInputElement>) => {
    setValues((v) => ({ ...v, [key]: e.target.value }));
    form.clearField(key);
    setSaved(false);
  };

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!allFieldsValid(event)) return;
    void form.submit(async () => {
      const answer = await apiRequest<BankAccountAnswer>('PUT', path, { body: values });
      setValues(answer.bank_account ?? EMPTY);
      setSaved(true);
    });
  };

  return (
    <form className="card form" onSubmit={onSubmit} noValidate data-testid="bank-account-form">
      <h2 className="card__title">{t('settings.bank_title')}</h2>
      <p className="muted">{t('settings.bank_intro')}</p>
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {saved && (
        <p className="banner banner--success" role="status" data-testid="bank-account-saved">
          {t('settings.bank_saved')}
        </p>
      )}
      {form.formError && <ErrorBanner error={form.formError} />}
      <Field label={t('settings.bank_name')} hint={t('settings.bank_name_hint')} required error={form.fieldErrors.bank_name}>
        <input
          className="input"
          name="bank_name"
          minLength={2}
          maxLength={60}
          value={values.bank_name}
          onChange={set('bank_name')}
          disabled={!editable}
        />
      </Field>
      <Field
        label={t('settings.bank_account_number')}
        hint={t('settings.bank_account_number_hint')}
        required
        error={form.fieldErrors.account_number}
      >
        <input
          className="input"
          name="account_number"
          inputMode="numeric"
          autoComplete="off"
          pattern="[0-9][0-9 .\-]{3,38}[0-9]"
          maxLength={40}
          value={values.account_number}
          onChange={set('account_number')}
          disabled={!editable}
        />
      </Field>
      <Field label={t('settings.bank_account_holder')} required error={form.fieldErrors.account_holder}>
        <input
          className="input"
          name="account_holder"
          minLength={2}
          maxLength={80}
          value={values.account_holder}
          onChange={set('account_holder')}
          disabled={!editable}
        />
      </Field>
      {editable ? (
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={form.submitting}>
            {t('common.save')}
          </button>
        </div>
      ) : (
        <p className="muted">{t('settings.bank_admin_only')}</p>
      )}
    </form>
  );
}
