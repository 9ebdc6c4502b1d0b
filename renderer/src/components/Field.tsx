import { cloneElement, useId, type ReactElement } from 'react';
import type { ApiError } from '../api/errors.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { FieldErrorText } from './ErrorMessage.tsx';

interface FieldProps {
  label: string;
  hint?: string;
  error?: ApiError;
  required?: boolean;
  /** One input, select or textarea; Field gives it its id and aria wiring. */
  children: ReactElement<Record<string, unknown>>;
  className?: string;
}

export function Field({ label, hint, error, required, children, className }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint ? hintId : null, error ? errorId : null].filter(Boolean).join(' ') || undefined;
  return (
    <div className={`field${error ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {!required && <span className="field__optional"> ({t('common.optional')})</span>}
      </label>
      {cloneElement(children, {
        id,
        'aria-invalid': error ? true : undefined,
        'aria-describedby': describedBy,
        required,
      })}
      {hint && !error && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {error && <FieldErrorText id={errorId} error={error} />}
    </div>
  );
}
