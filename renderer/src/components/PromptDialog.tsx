import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';
import type { ConfirmTone } from './ConfirmDialog.tsx';

export interface PromptOptions {
  initial?: string;
  type?: 'text' | 'month';
  /**
   * As for useConfirmDialog: `danger` (red) for what takes something away or reverses money (reversing a payment,
   * voiding an invoice), `primary` for an ordinary question (a name, a month). Defaults to `danger`, so a caller that
   * forgets to choose still warns rather than reassures.
   */
  tone?: ConfirmTone;
  /** What pressing the button does ("Reverse payment"); a danger question should always say it. Defaults to OK. */
  confirmLabel?: string;
  /** A heading naming what is about to happen ("Reverse payment PAY…?"); the field's label names the dialog without it. */
  title?: string;
  /** The consequence, shown above the field. */
  text?: string;
  /** The most characters the server takes for this answer (a reason: 500), so the field stops there instead. */
  maxLength?: number;
}

interface Pending extends PromptOptions {
  label: string;
  resolve: (value: string | null) => void;
}

/**
 * An in-page question with one text field (a reason, a month), instead of `window.prompt`, which the desktop window
 * (Electron) does not support and which cannot be styled or translated. `ask` resolves with the trimmed answer, or
 * null when cancelled (Escape, Cancel, the dialog closing any other way) or left empty: the confirm button stays
 * disabled while the field is blank, so a required reason stays required.
 *
 * Focus goes to the field explicitly after showModal (React's autoFocus runs while the dialog is still closed). An Enter
 * pressed by habit on an empty field submits nothing, so a reversal cannot go through before a reason is typed.
 */
export function usePromptDialog(): {
  ask: (label: string, opts?: PromptOptions) => Promise<string | null>;
  dialog: ReactNode;
} {
  const { t } = useI18n();
  const [pending, setPending] = useState<Pending | null>(null);
  const pendingRef = useRef<Pending | null>(null);
  const [value, setValue] = useState('');
  const ref = useRef<HTMLDialogElement>(null);
  const inputRef = useRef<HTMLInputElement>(null);

  const ask = useCallback(
    (label: string, opts: PromptOptions = {}) =>
      new Promise<string | null>((resolve) => {
        const next = { ...opts, label, resolve };
        pendingRef.current = next;
        setValue(opts.initial ?? '');
        setPending(next);
      }),
    [],
  );

  useEffect(() => {
    if (!pending || !ref.current) return;
    if (!ref.current.open) ref.current.showModal();
    inputRef.current?.focus();
  }, [pending]);

  // Answers once: the `close` event that follows (or replaces) Escape's `cancel` finds nothing left to answer.
  const finish = (answer: string | null) => {
    const question = pendingRef.current;
    if (!question) return;
    pendingRef.current = null;
    if (ref.current?.open) ref.current.close();
    question.resolve(answer?.trim() ? answer.trim() : null);
    setPending(null);
  };

  const tone = pending?.tone ?? 'danger';
  const dialog = pending ? (
    <dialog
      ref={ref}
      className="card prompt-dialog"
      data-testid="prompt-dialog"
      data-tone={tone}
      aria-labelledby={pending.title ? 'prompt-dialog-title' : 'prompt-dialog-label'}
      aria-describedby={pending.text ? 'prompt-dialog-text' : undefined}
      onCancel={(e) => {
        e.preventDefault();
        finish(null);
      }}
      onClose={() => finish(null)}
    >
      <form
        method="dialog"
        onSubmit={(e) => {
          e.preventDefault();
          if (value.trim()) finish(value);
        }}
      >
        {pending.title && (
          <h2 className="card__title" id="prompt-dialog-title">
            {pending.title}
          </h2>
        )}
        {pending.text && (
          <p id="prompt-dialog-text" className="prompt-dialog__text">
            {pending.text}
          </p>
        )}
        <label className="field">
          <span className="field__label" id="prompt-dialog-label">
            {pending.label}
          </span>
          <input
            ref={inputRef}
            className="input"
            type={pending.type ?? 'text'}
            maxLength={pending.maxLength}
            value={value}
            onChange={(e) => setValue(e.target.value)}
          />
        </label>
        <div className="prompt-dialog__actions">
          <button type="button" className="btn btn--secondary" onClick={() => finish(null)}>
            {t('common.cancel')}
          </button>
          <button
            type="submit"
            className={`btn ${tone === 'danger' ? 'btn--danger' : 'btn--primary'}`}
            data-testid="prompt-dialog-confirm"
            disabled={!value.trim()}
          >
            {pending.confirmLabel ?? t('common.ok')}
          </button>
        </div>
      </form>
    </dialog>
  ) : null;
  return { ask, dialog };
}
