import { useI18n } from '../i18n/I18nProvider.tsx';

const KEYS = ['1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** Big buttons for gloved fingers. Value lives in the parent so a PIN pad and a code pad share this. */
export function Keypad({
  value,
  onChange,
  onSubmit,
  maxLength,
  masked,
  submitLabel,
  testId,
}: {
  value: string;
  onChange: (next: string) => void;
  onSubmit: () => void;
  maxLength: number;
  masked?: boolean;
  submitLabel?: string;
  testId?: string;
}) {
  const { t } = useI18n();
  const press = (digit: string) => value.length < maxLength && onChange(value + digit);
  return (
    <div className="keypad" data-testid={testId}>
      <output className="keypad__display" aria-live="polite">
        {masked ? '•'.repeat(value.length) : value || '\u00a0'}
      </output>
      <div className="keypad__grid">
        {KEYS.map((k) => (
          <button key={k} type="button" className="keypad__key" onClick={() => press(k)}>
            {k}
          </button>
        ))}
        <button type="button" className="keypad__key keypad__key--muted" onClick={() => onChange('')}>
          {t('gate.keypad_clear')}
        </button>
        <button type="button" className="keypad__key" onClick={() => press('0')}>
          0
        </button>
        <button
          type="button"
          className="keypad__key keypad__key--muted"
          aria-label="backspace"
          onClick={() => onChange(value.slice(0, -1))}
        >
          ⌫
        </button>
      </div>
      <button type="button" className="keypad__submit" disabled={!value} onClick={onSubmit}>
        {submitLabel ?? t('gate.keypad_submit')}
      </button>
    </div>
  );
}
