import { useEffect, useRef, useState } from 'react';
import { formatDateInput, parseDateInput } from '../format/date-input.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import './date-field.css';

interface DateFieldProps {
  /** An ISO day ("2026-11-30") or '' when empty. */
  value: string;
  /** Called with the ISO day, or '' while what is typed is not a date yet. Method syntax: accepts an input's handler. */
  onChange?(event: { target: { name: string; value: string } }): void;
  name?: string;
  id?: string;
  className?: string;
  required?: boolean;
  disabled?: boolean;
  'aria-label'?: string;
  'aria-invalid'?: boolean;
  'aria-describedby'?: string;
  /** Bounds for the calendar picker (ISO days). */
  min?: string;
  max?: string;
}

/**
 * The one date input of the app. A native `<input type="date">` shows and parses dates in the browser's locale
 * (mm/dd/yyyy under en-US, whatever language the app is in), so this field is text: it shows dd/mm/yyyy, accepts
 * that or "30 Nov 2026" (format/date-input.ts), and emits ISO days. The calendar button still opens the browser's
 * picker, through a hidden native input, for those who prefer to pick.
 */
export function DateField({ value, onChange, name = '', className, min, max, ...rest }: DateFieldProps) {
  const { t } = useI18n();
  const [text, setText] = useState(() => formatDateInput(value));
  // The value this field last sent up: a different one from the parent (a reset, a prefill) replaces the text.
  const sent = useRef(value);
  const picker = useRef<HTMLInputElement>(null);

  useEffect(() => {
    if (value !== sent.current) {
      sent.current = value;
      setText(formatDateInput(value));
    }
  }, [value]);

  const emit = (iso: string) => {
    sent.current = iso;
    onChange?.({ target: { name, value: iso } });
  };
  const parsed = parseDateInput(text);
  const unreadable = text.trim() !== '' && parsed === null;

  return (
    <span className="date-field">
      <input
        {...rest}
        className={className ?? 'input'}
        name={name}
        type="text"
        inputMode="numeric"
        autoComplete="off"
        placeholder={t('common.date_placeholder')}
        value={text}
        data-iso={parsed ?? ''}
        aria-invalid={rest['aria-invalid'] || unreadable || undefined}
        onChange={(e) => {
          setText(e.target.value);
          emit(parseDateInput(e.target.value) ?? '');
        }}
        onBlur={() => {
          if (parsed) setText(formatDateInput(parsed));
        }}
      />
      <button
        type="button"
        className="date-field__pick"
        aria-label={t('common.date_pick')}
        title={t('common.date_pick')}
        disabled={rest.disabled}
        onClick={(e) => {
          try {
            picker.current?.showPicker?.();
          } catch {
            // No picker in this browser (or not allowed here): typing the date still works.
            (e.currentTarget.previousElementSibling as HTMLInputElement | null)?.focus();
          }
        }}
      >
        <svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true" fill="none" stroke="currentColor" strokeWidth="2">
          <rect x="3" y="5" width="18" height="16" rx="2" />
          <path d="M3 10h18M8 3v4M16 3v4" />
        </svg>
      </button>
      <input
        ref={picker}
        className="date-field__native"
        type="date"
        tabIndex={-1}
        aria-hidden="true"
        min={min}
        max={max}
        value={parsed ?? ''}
        onChange={(e) => {
          setText(formatDateInput(e.target.value));
          emit(e.target.value);
        }}
      />
    </span>
  );
}
