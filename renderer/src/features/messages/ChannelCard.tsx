import type { FormEvent, ReactNode } from 'react';
import type { ApiError } from '../../api/errors.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';

/**
 * The frame every channel card shares: title and intro, the saved banner or the form's error, the on/off switch, the
 * card's own settings, the save button, and what comes after it (the test send).
 */
export function ChannelCard({
  testId,
  title,
  intro,
  enabledLabel,
  enabled,
  onEnabled,
  saved,
  formError,
  submitting,
  onSubmit,
  children,
  after,
}: {
  testId: string;
  title: string;
  intro: string;
  enabledLabel: string;
  enabled: boolean;
  onEnabled: (enabled: boolean) => void;
  saved: boolean;
  formError: ApiError | null;
  submitting: boolean;
  onSubmit: (event: FormEvent) => void;
  children: ReactNode;
  after?: ReactNode;
}) {
  const { t } = useI18n();
  return (
    <form className="card form" onSubmit={onSubmit} noValidate data-testid={testId}>
      <h2 className="card__title">{title}</h2>
      <p className="muted">{intro}</p>
      {saved && (
        <p className="banner banner--success" role="status">
          {t('messages.channel_saved')}
        </p>
      )}
      {formError && <ErrorBanner error={formError} />}
      <label className="switch">
        <input type="checkbox" checked={enabled} onChange={(e) => onEnabled(e.target.checked)} />
        <span>{enabledLabel}</span>
      </label>
      {children}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={submitting}>
          {t('common.save')}
        </button>
      </div>
      {after}
    </form>
  );
}
