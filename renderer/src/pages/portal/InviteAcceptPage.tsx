import { useState, type FormEvent } from 'react';
import { acceptInvite, getInvite } from '../../api/auth.ts';
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

/** Where an invite link lands: choose a password, and arrive signed in where the role works. */
export default function InviteAcceptPage({ params }: PageProps) {
  const { t, tDynamic } = useI18n();
  const session = useSession();
  const code = params.code!;
  const invite = useApiData(() => getInvite(code), code);
  const form = useApiForm(FIELDS);
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');

  if (invite.error) {
    return (
      <AuthLayout title={t('errors.INVITE_INVALID')}>
        <ErrorBanner error={invite.error} />
      </AuthLayout>
    );
  }
  if (!invite.data) return <Loading />;
  const info = invite.data;

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (password !== confirm) {
      form.setFieldError('password_confirm', new ApiError(400, 'PASSWORD_MISMATCH', 'passwords differ', 'password_confirm'));
      return;
    }
    void form.submit(async () => {
      const result = await acceptInvite(code, password);
      session.signedIn(result);
      const role = result.memberships[0]?.role;
      navigate(role === 'resident' ? '/portal' : role === 'guard' ? '/kiosk' : '/', { replace: true });
    });
  };

  return (
    <AuthLayout
      title={t('auth.invite_title', { estate: info.estate_name })}
      subtitle={t('auth.invite_greeting', { name: info.name, role: tDynamic(`auth.role_${info.role}`, info.role) })}
    >
      <form className="form" onSubmit={onSubmit} noValidate>
        {form.formError && <ErrorBanner error={form.formError} />}
        <NewPasswordFields
          password={password}
          confirm={confirm}
          onPassword={setPassword}
          onConfirm={setConfirm}
          errors={form.fieldErrors}
        />
        <button type="submit" className="btn btn--primary btn--block" disabled={form.submitting}>
          {t('auth.invite_submit')}
        </button>
      </form>
    </AuthLayout>
  );
}
