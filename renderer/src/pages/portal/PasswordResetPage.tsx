import { useState, type FormEvent } from 'react';
import { getResetLink, setPasswordByLink } from '../../api/users.ts';
import { ApiError } from '../../api/errors.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Loading } from '../../components/StatusScreens.tsx';
import type { PageProps } from '../../faces/types.ts';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { navigate } from '../../router/navigation.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { AuthLayout } from '../auth/AuthLayout.tsx';
import { NewPasswordFields } from '../auth/NewPasswordFields.tsx';

const FIELDS = ['password', 'password_confirm'] as const;

/**
 * Where the office's one-time link lands (sent by WhatsApp): choose a new password and arrive signed in where the
 * role works. A used or expired link says so in words and points back to the office.
 */
export default function PasswordResetPage({ params }: PageProps) {
  const { t } = useI18n();
  const session = useSession();
  const token = params.token!;
  const link = useApiData(() => getResetLink(token), token);
  const form = useApiForm(FIELDS);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');

  if (link.error) {
    return (
      <AuthLayout title={t('auth.reset_invalid_title')}>
        <div data-testid="reset-link-refused">
          <ErrorBanner error={link.error} />
        </div>
      </AuthLayout>
    );
  }
  if (!link.data) return <Loading />;
  const info = link.data;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      form.setFieldError('password_confirm', new ApiError(400, 'PASSWORD_MISMATCH', 'passwords differ', 'password_confirm'));
      return;
    }
    void form.submit(async () => {
      const result = await setPasswordByLink(token, password);
      session.signedIn(result);
      const role = result.memberships[0]?.role;
      navigate(role === 'resident' ? '/portal' : role === 'guard' ? '/kiosk' : '/', { replace: true });
    });
  };

  return (
    <AuthLayout title={t('auth.reset_title')} subtitle={t('auth.reset_greeting', { name: info.name, estate: info.estate_name })}>
      <form className="form" onSubmit={onSubmit} noValidate data-testid="reset-form">
        {form.formError && <ErrorBanner error={form.formError} />}
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          errors={form.fieldErrors}
        />
        <button type="submit" className="btn btn--primary btn--block" disabled={form.submitting}>
          {t('auth.reset_submit')}
        </button>
      </form>
    </AuthLayout>
  );
}
