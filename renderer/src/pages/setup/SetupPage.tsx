import { useState, type FormEvent } from 'react';
import { getMe, runSetup } from '../../api/auth.ts';
import { setCsrfToken } from '../../api/client.ts';
import { ApiError } from '../../api/errors.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { navigate } from '../../router/navigation.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { AuthLayout } from '../auth/AuthLayout.tsx';

const FIELDS = [
  'estate.name',
  'estate.address',
  'estate.rt',
  'estate.rw',
  'estate.timezone',
  'admin.name',
  'admin.email',
  'admin.phone',
  'admin.password',
  'password_confirm',
] as const;

const TIMEZONES = [
  ['Asia/Jakarta', 'auth.tz_jakarta'],
  ['Asia/Makassar', 'auth.tz_makassar'],
  ['Asia/Jayapura', 'auth.tz_jayapura'],
] as const;

const optional = (value: string) => (value.trim() === '' ? undefined : value.trim());

/** First run: the estate and its first committee account, in one step that ends signed in. */
export default function SetupPage() {
  const { t } = useI18n();
  const session = useSession();
  const form = useApiForm(FIELDS);
  const [values, setValues] = useState({
    'estate.name': '',
    'estate.address': '',
    'estate.rt': '',
    'estate.rw': '',
    'estate.timezone': 'Asia/Jakarta',
    'admin.name': '',
    'admin.email': '',
    'admin.phone': '',
    'admin.password': '',
    password_confirm: '',
  });

  const bind = (name: keyof typeof values) => ({
    name,
    value: values[name],
    onChange: (e: { target: { value: string } }) => {
      setValues((current) => ({ ...current, [name]: e.target.value }));
      form.clearField(name);
    },
  });

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (values['admin.password'] !== values.password_confirm) {
      form.setFieldError('password_confirm', new ApiError(400, 'PASSWORD_MISMATCH', 'passwords differ', 'password_confirm'));
      return;
    }
    void form.submit(async () => {
      const created = await runSetup({
        estate: {
          name: values['estate.name'].trim(),
          address: optional(values['estate.address']),
          rt: optional(values['estate.rt']),
          rw: optional(values['estate.rw']),
          timezone: values['estate.timezone'],
        },
        admin: {
          name: values['admin.name'].trim(),
          email: optional(values['admin.email']),
          phone: optional(values['admin.phone']),
          password: values['admin.password'],
        },
      });
      // Setup answers with the user and estate; /auth/me adds the membership the shell needs.
      setCsrfToken(created.csrf_token);
      session.signedIn(await getMe());
      navigate('/', { replace: true });
    });
  };

  const e = form.fieldErrors;
  return (
    <AuthLayout title={t('auth.setup_title')} subtitle={t('auth.setup_subtitle')} wide>
      <form className="form" onSubmit={onSubmit} noValidate>
        {form.formError && <ErrorBanner error={form.formError} />}
        <fieldset className="form__section">
          <legend>{t('auth.setup_estate')}</legend>
          <Field label={t('auth.estate_name')} error={e['estate.name']} required>
            <input className="input" placeholder={t('auth.estate_name_placeholder')} autoFocus {...bind('estate.name')} />
          </Field>
          <Field label={t('auth.estate_address')} error={e['estate.address']}>
            <input className="input" autoComplete="street-address" {...bind('estate.address')} />
          </Field>
          <div className="form__row form__row--3">
            <Field label={t('auth.estate_rt')} error={e['estate.rt']}>
              <input className="input" inputMode="numeric" {...bind('estate.rt')} />
            </Field>
            <Field label={t('auth.estate_rw')} error={e['estate.rw']}>
              <input className="input" inputMode="numeric" {...bind('estate.rw')} />
            </Field>
            <Field label={t('auth.estate_timezone')} error={e['estate.timezone']} required>
              <select className="input" {...bind('estate.timezone')}>
                {TIMEZONES.map(([zone, label]) => (
                  <option key={zone} value={zone}>
                    {t(label)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
        </fieldset>
        <fieldset className="form__section">
          <legend>{t('auth.setup_admin')}</legend>
          <Field label={t('auth.admin_name')} error={e['admin.name']} required>
            <input className="input" autoComplete="name" {...bind('admin.name')} />
          </Field>
          <div className="form__row">
            <Field label={t('auth.admin_email')} error={e['admin.email']} hint={t('auth.contact_hint')}>
              <input className="input" type="email" autoComplete="email" {...bind('admin.email')} />
            </Field>
            <Field label={t('auth.admin_phone')} error={e['admin.phone']}>
              <input className="input" type="tel" autoComplete="tel" {...bind('admin.phone')} />
            </Field>
          </div>
          <div className="form__row">
            <Field label={t('auth.password')} error={e['admin.password']} hint={t('auth.password_hint')} required>
              <input className="input" type="password" autoComplete="new-password" {...bind('admin.password')} />
            </Field>
            <Field label={t('auth.password_confirm')} error={e.password_confirm} required>
              <input className="input" type="password" autoComplete="new-password" {...bind('password_confirm')} />
            </Field>
          </div>
        </fieldset>
        <button type="submit" className="btn btn--primary btn--block" disabled={form.submitting}>
          {form.submitting ? t('auth.setting_up') : t('auth.submit_setup')}
        </button>
      </form>
    </AuthLayout>
  );
}
