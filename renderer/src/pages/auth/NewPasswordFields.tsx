import type { ApiError } from '../../api/errors.ts';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/** A new password typed twice, as an invite or a one-time password link asks for it; each field shows its own error. */
export function NewPasswordFields(props: {
  password: string;
  confirm: string;
  onPassword: (value: string) => void;
  onConfirm: (value: string) => void;
  errors: Partial<Record<string, ApiError>>;
}) {
  const { t } = useI18n();
  return (
    <>
      <Field label={t('auth.password')} hint={t('auth.password_hint')} error={props.errors.password} required>
        <input
          className="input"
          type="password"
          name="password"
          autoComplete="new-password"
          value={props.password}
          onChange={(e) => props.onPassword(e.target.value)}
          autoFocus
        />
      </Field>
      <Field label={t('auth.password_confirm')} error={props.errors.password_confirm} required>
        <input
          className="input"
          type="password"
          name="password_confirm"
          autoComplete="new-password"
          value={props.confirm}
          onChange={(e) => props.onConfirm(e.target.value)}
        />
      </Field>
    </>
  );
}
