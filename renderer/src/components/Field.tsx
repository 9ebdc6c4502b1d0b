import { cloneElement, useId, useState, type FormEvent, type ReactElement, type SyntheticEvent } from 'react';
import type { ApiError } from '../api/errors.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { MessageKey } from '../i18n/messages.ts';
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

/** What the browser found wrong with an input, in the app's words rather than the browser's own language. */
export function validityMessageKey(validity: ValidityState): MessageKey {
  if (validity.valueMissing) return 'common.invalid_required';
  if (validity.badInput) return 'common.invalid_number';
  if (validity.rangeUnderflow || validity.rangeOverflow || validity.stepMismatch) return 'common.invalid_range';
  return 'common.invalid_format';
}

/**
 * For a noValidate form's submit handler: marks every invalid Field at once (each shows its own message) and says
 * whether the form may be sent.
 */
export function allFieldsValid(event: FormEvent): boolean {
  return (event.currentTarget as HTMLFormElement).checkValidity();
}

type Control = HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement;
type Handler = ((event: SyntheticEvent<Control>) => void) | undefined;

export function Field({ label, hint, error, required, children, className }: FieldProps) {
  const { t } = useI18n();
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  // Forms are noValidate; `form.checkValidity()` on submit fires `invalid` on every bad control at once, and each
  // Field shows its own message instead of the browser's one-at-a-time bubble.
  const [invalidKey, setInvalidKey] = useState<MessageKey | null>(null);
  // What the user sees now wins over the server's answer to an earlier submit.
  const shownInvalid = invalidKey;
  const serverError = invalidKey ? undefined : error;
  const invalid = Boolean(serverError || shownInvalid);
  const describedBy = [hint ? hintId : null, invalid ? errorId : null].filter(Boolean).join(' ') || undefined;
  const chain = (own: Handler, next: Handler) => (event: SyntheticEvent<Control>) => {
    own?.(event);
    next?.(event);
  };
  const clearInvalid: Handler = (event) => {
    if (invalidKey && event.currentTarget.validity.valid) setInvalidKey(null);
  };
  return (
    <div className={`field${invalid ? ' field--invalid' : ''}${className ? ` ${className}` : ''}`}>
      <label className="field__label" htmlFor={id}>
        {label}
        {!required && <span className="field__optional"> ({t('common.optional')})</span>}
      </label>
      {cloneElement(children, {
        id,
        'aria-invalid': invalid ? true : undefined,
        'aria-describedby': describedBy,
        required,
        // A component child (a picker) has its own onChange shape; only a plain input, select or textarea is watched.
        ...(typeof children.type === 'string' && {
          onInvalid: chain((event) => {
            event.preventDefault();
            setInvalidKey(validityMessageKey(event.currentTarget.validity));
          }, children.props.onInvalid as Handler),
          onInput: chain(clearInvalid, children.props.onInput as Handler),
          onChange: chain(clearInvalid, children.props.onChange as Handler),
        }),
      })}
      {hint && !invalid && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {serverError && <FieldErrorText id={errorId} error={serverError} />}
      {shownInvalid && (
        <p className="field__error" id={errorId} role="alert" data-code="INVALID_INPUT">
          {t(shownInvalid)}
        </p>
      )}
    </div>
  );
}
