import { useCallback, useEffect, useRef, useState, type ReactNode } from 'react';
import { useI18n } from '../i18n/I18nProvider.tsx';

interface Question {
  title: string;
  text: string;
  confirmLabel: string;
  resolve: (yes: boolean) => void;
}

/**
 * An in-page "are you sure?" with the consequence spelled out, instead of `window.confirm`, which the desktop window
 * (Electron) does not style or translate. `confirm` resolves true only when the person presses the confirm button.
 */
export function useConfirmDialog(): {
  confirm: (q: { title: string; text: string; confirmLabel: string }) => Promise<boolean>;
  dialog: ReactNode;
} {
  const { t } = useI18n();
  const [pending, setPending] = useState<Question | null>(null);
  const ref = useRef<HTMLDialogElement>(null);

  const confirm = useCallback(
    (q: { title: string; text: string; confirmLabel: string }) => new Promise<boolean>((resolve) => setPending({ ...q, resolve })),
    [],
  );

  useEffect(() => {
    if (pending && ref.current && !ref.current.open) ref.current.showModal();
  }, [pending]);

  const finish = (yes: boolean) => {
    ref.current?.close();
    pending?.resolve(yes);
    setPending(null);
  };

  const dialog = pending ? (
    <dialog
      ref={ref}
      className="card prompt-dialog"
      data-testid="confirm-dialog"
      aria-labelledby="confirm-dialog-title"
      onCancel={(e) => {
        e.preventDefault();
        finish(false);
      }}
    >
      <h2 className="card__title" id="confirm-dialog-title">
        {pending.title}
      </h2>
      <p>{pending.text}</p>
      <div className="prompt-dialog__actions">
        <button type="button" className="btn btn--secondary" autoFocus onClick={() => finish(false)}>
          {t('common.cancel')}
        </button>
        <button type="button" className="btn btn--danger" onClick={() => finish(true)}>
          {pending.confirmLabel}
        </button>
      </div>
    </dialog>
  ) : null;
  return { confirm, dialog };
}
