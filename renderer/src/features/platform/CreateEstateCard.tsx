import { useState, type FormEvent } from 'react';
import type { EstateCreated } from '../../../../server/estates/schemas.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { InviteCard } from '../../pages/users/InviteCard.tsx';
import { createEstate } from './api.ts';

const FIELDS = ['name', 'timezone', 'first_admin.name', 'first_admin.email', 'first_admin.phone'] as const;
const ZONES = [
  ['Asia/Jakarta', 'platform.tz_wib'],
  ['Asia/Makassar', 'platform.tz_wita'],
  ['Asia/Jayapura', 'platform.tz_wit'],
] as const;
const EMPTY = { name: '', timezone: 'Asia/Jakarta', adminName: '', adminEmail: '', adminPhone: '' };

/** A new estate and the person who will run it: they get an invite link, or an invitation when they have an account. */
export function CreateEstateCard({ onCreated }: { onCreated: () => void }) {
  const { t } = useI18n();
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState(EMPTY);
  const [created, setCreated] = useState<EstateCreated | null>(null);
  const bind = (name: keyof typeof EMPTY, field: (typeof FIELDS)[number]) => ({
    name: field,
    value: values[name],
    onChange: (e: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [name]: e.target.value }));
      form.clearField(field);
    },
  });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(async () => {
      const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());
      const result = await createEstate({
        name: values.name.trim(),
        timezone: values.timezone,
        first_admin: { name: values.adminName.trim(), email: optional(values.adminEmail), phone: optional(values.adminPhone) },
      });
      setCreated(result);
      setValues(EMPTY);
      onCreated();
    });
  };
  const e = form.fieldErrors;
  const invited = created?.first_admin;
  return (
    <div>
      <form className="card form" onSubmit={onSubmit} noValidate data-testid="create-estate-form">
        <h2 className="card__title">{t('platform.create_title')}</h2>
        {form.formError && <ErrorBanner error={form.formError} />}
        <Field label={t('platform.create_name')} error={e.name} required>
          <input className="input" autoComplete="off" maxLength={200} {...bind('name', 'name')} />
        </Field>
        <Field label={t('platform.create_timezone')} error={e.timezone} required>
          <select className="input" {...bind('timezone', 'timezone')}>
            {ZONES.map(([zone, label]) => (
              <option key={zone} value={zone}>
                {t(label)}
              </option>
            ))}
          </select>
        </Field>
        <fieldset className="form__section">
          <legend>{t('platform.create_admin_legend')}</legend>
          <p className="field__hint">{t('platform.create_admin_hint')}</p>
          <Field label={t('platform.create_admin_name')} error={e['first_admin.name']} required>
            <input className="input" autoComplete="off" maxLength={200} {...bind('adminName', 'first_admin.name')} />
          </Field>
          <div className="form__row">
            <Field label={t('platform.create_admin_email')} error={e['first_admin.email']}>
              <input className="input" type="email" autoComplete="off" {...bind('adminEmail', 'first_admin.email')} />
            </Field>
            <Field label={t('platform.create_admin_phone')} error={e['first_admin.phone']}>
              <input className="input" type="tel" autoComplete="off" {...bind('adminPhone', 'first_admin.phone')} />
            </Field>
          </div>
        </fieldset>
        <div className="form__actions">
          <button type="submit" className="btn btn--primary" disabled={form.submitting}>
            {form.submitting ? t('common.saving') : t('platform.create_submit')}
          </button>
        </div>
      </form>
      {created && (
        <p className="banner banner--success" role="status" data-testid="estate-created">
          {t('platform.created_notice', { name: created.name })}
        </p>
      )}
      {invited?.membership_invitation && (
        <p className="banner banner--success" role="status">
          {t('platform.created_invitation', { name: invited.membership_invitation.name })}
        </p>
      )}
      {invited?.user && invited.invite && <InviteCard name={invited.user.name} invite={invited.invite} />}
    </div>
  );
}
