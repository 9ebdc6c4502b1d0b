import type { InputHTMLAttributes } from 'react';
import type { ApiError } from '../../api/errors.ts';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

type InputAttributes = Omit<InputHTMLAttributes<HTMLInputElement>, 'className' | 'name' | 'value' | 'onChange' | 'required'>;

interface SettingInputProps extends InputAttributes {
  label: string;
  name: string;
  hint?: string;
  error?: ApiError;
  required?: boolean;
  value: string | number;
  /** The input's text as typed; the card turns it into its draft's type (a number, null for empty). */
  onValue: (value: string) => void;
}

/** One setting of a channel card: its label, the input, a hint, and the server's error for that field. */
export function SettingInput({ label, name, hint, error, required, value, onValue, ...input }: SettingInputProps) {
  return (
    <Field label={label} hint={hint} error={error} required={required}>
      <input className="input" name={name} {...input} value={value} onChange={(e) => onValue(e.target.value)} />
    </Field>
  );
}

/**
 * A key or password the server never shows back: typed fresh each time, empty keeps the saved one (the hint says so
 * when there is one).
 */
export function SecretInput({ kept, hint, ...props }: Omit<SettingInputProps, 'type' | 'autoComplete' | 'required'> & { kept: boolean }) {
  const { t } = useI18n();
  return <SettingInput {...props} type="password" autoComplete="new-password" hint={kept ? t('messages.secret_kept') : hint} />;
}
