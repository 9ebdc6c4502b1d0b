import type { ApiError } from '../api/errors.ts';
import { isApiError } from '../api/errors.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { lookupError } from '../i18n/messages.ts';
import { Icon } from './Icon.tsx';

/** The text the UI shows for an error: keyed by the server's stable code, never the server's own wording. */
export function useErrorText(): (error: unknown) => string {
  const { t, language } = useI18n();
  return (error) => {
    const code = isApiError(error) ? error.code : 'UNKNOWN';
    return lookupError(language, code) ?? t('errors.UNKNOWN');
  };
}

/**
 * For bad input (4xx other than sign-in and rate limits) only the server's message says exactly what was wrong (which
 * limit, which format); it is shown small, under our own text for the code.
 */
function detailOf(error: unknown): string | null {
  if (!isApiError(error) || error.message === error.code) return null;
  if (![400, 404, 409, 413, 422].includes(error.status)) return null;
  // The field is already shown by where the message sits; the server's `field: ` prefix would repeat it.
  return error.field && error.message.startsWith(`${error.field}: `) ? error.message.slice(error.field.length + 2) : error.message;
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useI18n();
  const text = useErrorText();
  const detail = detailOf(error);
  return (
    <div className="banner banner--error" role="alert" data-code={isApiError(error) ? error.code : undefined}>
      <Icon name="alert" />
      <div className="banner__text">
        {text(error)}
        {detail && <small className="banner__detail">{detail}</small>}
      </div>
      {onRetry && (
        <button type="button" className="btn btn--ghost" onClick={onRetry}>
          {t('common.retry')}
        </button>
      )}
    </div>
  );
}

export function FieldErrorText({ id, error }: { id: string; error: ApiError }) {
  const text = useErrorText();
  const detail = detailOf(error);
  // Under its own input, "invalid input" says nothing the red field does not; the server's detail is the message.
  const generic = error.code === 'VALIDATION_FAILED' && detail !== null;
  return (
    <p className="field__error" id={id} role="alert" data-code={error.code}>
      {generic ? detail : text(error)}
      {detail && !generic && <span className="field__error-detail"> {detail}</span>}
    </p>
  );
}
