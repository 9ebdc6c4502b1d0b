import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

/**
 * `danger` draws the confirm button red: for what takes something away or cannot simply be undone (delete, revoke,
 * suspend, unlink, reverse money). `primary` is for a confirmation that only asks for a second look (mark as handled,
 * record anyway). Red on a harmless question teaches people to ignore red.
 */
export type ConfirmTone = 'danger' | 'primary';

export interface ConfirmQuestion {
  title: string;
  text: string;
  confirmLabel: string;
  /** Defaults to `danger`: a caller that forgets to choose still warns rather than reassures. */
  tone?: ConfirmTone;
}

interface Pending extends ConfirmQuestion {
  resolve: (yes: boolean) => void;
}

/**
 * An in-page "are you sure?" with the consequence spelled out, instead of `window.confirm`, which the desktop window
 * (Electron) does not style or translate. `confirm` resolves true only when the person presses the confirm button;
 * Escape, Cancel or the dialog closing any other way resolve false.
 *
 * Focus starts on Cancel whatever the tone: the dialog only appears for something worth a second look, so an Enter
 * pressed by habit (or a double click carried over) must not carry the action through.
 */
export function useConfirmDialog(): {
  confirm: (q: ConfirmQuestion) => Promise<boolean>;
  dialog: ReactNode;
} {
  const { t } = useI18n();
  const [pending, setPending] = useState<Pending | null>(null);
  const pendingRef = useRef<Pending | null>(null);
  const ref = useRef<HTMLDialogElement>(null);
  const cancelRef = useRef<HTMLButtonElement>(null);

  const confirm = useCallback(
    (q: ConfirmQuestion) =>
      new Promise<boolean>((resolve) => {
        const next = { ...q, resolve };
        pendingRef.current = next;
        setPending(next);
      }),
    [],
  );

  useEffect(() => {
    if (!pending || !ref.current) return;
    if (!ref.current.open) ref.current.showModal();
    // Explicit rather than left to the dialog's own first-focusable rule, so reordering the buttons cannot move it.
    cancelRef.current?.focus();
  }, [pending]);

  // Answers once: the `close` event that follows (or replaces) Escape's `cancel` finds nothing left to answer.
  const finish = (yes: boolean) => {
    const question = pendingRef.current;
    if (!question) return;
    pendingRef.current = null;
    if (ref.current?.open) ref.current.close();
    question.resolve(yes);
    setPending(null);
  };

  const tone = pending?.tone ?? 'danger';
  const dialog = pending ? (
    <dialog
      ref={ref}
      className="card prompt-dialog"
      data-testid="confirm-dialog"
      data-tone={tone}
      aria-labelledby="confirm-dialog-title"
      aria-describedby="confirm-dialog-text"
      onCancel={(e) => {
        e.preventDefault();
        finish(false);
      }}
      onClose={() => finish(false)}
    >
      <h2 className="card__title" id="confirm-dialog-title">
        {pending.title}
      </h2>
      <p id="confirm-dialog-text">{pending.text}</p>
      <div className="prompt-dialog__actions">
        <button ref={cancelRef} type="button" className="btn btn--secondary" onClick={() => finish(false)}>
          {t('common.cancel')}
        </button>
        <button
          type="button"
          className={`btn ${tone === 'danger' ? 'btn--danger' : 'btn--primary'}`}
          data-testid="confirm-dialog-confirm"
          onClick={() => finish(true)}
        >
          {pending.confirmLabel}
        </button>
      </div>
    </dialog>
  ) : null;
  return { confirm, dialog };
}
