import { useEffect, useState, type FormEvent } from 'react';
import { login } from '../../api/auth.ts';
import { Field } from '../../components/Field.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { faceForPath } from '../../faces/faces.ts';
import { safeNext } from '../../faces/FaceRouter.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import type { MessageKey } from '../../i18n/messages.ts';
import { navigate, useLocation } from '../../router/navigation.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { AuthLayout } from './AuthLayout.tsx';
import './forgot-password.css';

const FIELDS = ['login', 'password'] as const;

const TITLES: Record<string, [MessageKey, MessageKey | undefined]> = {
  desktop: ['auth.login_title', 'auth.login_subtitle'],
  portal: ['auth.portal_login_title', 'auth.portal_login_subtitle'],
  kiosk: ['auth.kiosk_login_title', undefined],
};

/** The same sign-in for all three faces; where it lands afterwards depends on the face it was opened in. */
export default function LoginPage() {
  const { t } = useI18n();
  const session = useSession();
  const { pathname, search } = useLocation();
  const face = faceForPath(pathname);
  const form = useApiForm(FIELDS);
  const [loginName, setLoginName] = useState('');
  const [password, setPassword] = useState('');
  const [title, subtitle] = TITLES[face.name]!;

  useEffect(() => {
    document.title = `${t(title)} · Klustera`;
  }, [t, title]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(async () => {
      const result = await login(loginName.trim(), password);
      session.signedIn(result);
      navigate(safeNext(search, face.home), { replace: true });
    });
  };

  return (
    <AuthLayout title={t(title)} subtitle={subtitle && t(subtitle)}>
      <form className="form" onSubmit={onSubmit} noValidate>
        {form.formError && <ErrorBanner error={form.formError} />}
        <Field label={t('auth.login_field')} error={form.fieldErrors.login} required>
          <input
            className="input"
            name="login"
            autoComplete="username"
            inputMode="email"
            placeholder={t('auth.login_placeholder')}
            value={loginName}
            onChange={(e) => setLoginName(e.target.value)}
            autoFocus
          />
        </Field>
        <Field label={t('auth.password')} error={form.fieldErrors.password} required>
          <input
            className="input"
            name="password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(e) => setPassword(e.target.value)}
          />
        </Field>
        <button type="submit" className="btn btn--primary btn--block" disabled={form.submitting}>
          {form.submitting ? t('auth.signing_in') : t('auth.submit_login')}
        </button>
      </form>
      {/* No email needed: the office makes a one-time link (users page) and sends it by WhatsApp. */}
      <details className="login__forgot" data-testid="forgot-password">
        <summary>{t('auth.forgot_password')}</summary>
        <p className="muted">{t('auth.forgot_password_body')}</p>
      </details>
    </AuthLayout>
  );
}
