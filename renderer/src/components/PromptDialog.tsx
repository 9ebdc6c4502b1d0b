import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

interface Ask {
  label: string;
  initial?: string;
  type?: 'text' | 'month';
  resolve: (value: string | null) => void;
}

/**
 * An in-page question with one text field (a reason, a month), instead of `window.prompt`, which the desktop window
 * (Electron) does not support and which cannot be styled or translated. `ask` resolves with the answer, or null when
 * cancelled or left empty.
 */
export function usePromptDialog(): {
  ask: (label: string, opts?: { initial?: string; type?: 'text' | 'month' }) => Promise<string | null>;
  dialog: ReactNode;
} {
  const { t } = useI18n();
  const [pending, setPending] = useState<Ask | null>(null);
  const [value, setValue] = useState('');
  const ref = useRef<HTMLDialogElement>(null);

  const ask = useCallback(
    (label: string, opts: { initial?: string; type?: 'text' | 'month' } = {}) =>
      new Promise<string | null>((resolve) => {
        setValue(opts.initial ?? '');
        setPending({ label, initial: opts.initial, type: opts.type, resolve });
      }),
    [],
  );

  useEffect(() => {
    if (pending && ref.current && !ref.current.open) ref.current.showModal();
  }, [pending]);

  const finish = (answer: string | null) => {
    ref.current?.close();
    pending?.resolve(answer && answer.trim() ? answer.trim() : null);
    setPending(null);
  };

  const dialog = pending ? (
    <dialog
      ref={ref}
      className="card prompt-dialog"
      data-testid="prompt-dialog"
      onCancel={(e) => {
        e.preventDefault();
        finish(null);
      }}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          finish(value);
        }}
      >
        <label className="field">
          <span className="field__label">{pending.label}</span>
          <input className="input" type={pending.type ?? 'text'} autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
        </label>
        <div className="prompt-dialog__actions">
          <button type="button" className="btn btn--secondary" onClick={() => finish(null)}>
            {t('common.cancel')}
          </button>
          <button type="submit" className="btn btn--primary" disabled={!value.trim()}>
            {t('common.ok')}
          </button>
        </div>
      </form>
    </dialog>
  ) : null;
  return { ask, dialog };
}
