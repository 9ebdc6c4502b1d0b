import { ErrorBanner } from '../components/ErrorMessage.tsx';
import type { PromptOptions } from '../components/PromptDialog.tsx';
import { formatPeriod } from '../format/date.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEstateId, useSession } from '../session/SessionProvider.tsx';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import type { CashbookPeriod } from '../../../server/cashbook/schemas.ts';
import { api, estatePath } from './api.ts';

/**
 * The months whose cash book is closed (no entry dated inside them is accepted), newest first, with who closed each and
 * when. Whoever may close a month may reopen one here, with a reason that the server keeps in the audit log.
 */
export function ClosedMonthsCard(props: {
  /** Changes whenever the page's data may have changed (a month closed from the page), so the list is asked again. */
  version: number;
  ask: (label: string, opts?: PromptOptions) => Promise<string | null>;
  act: (fn: () => Promise<void>) => Promise<void>;
  onReopened: (text: string) => void;
}) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const estateId = useEstateId();
  const { can } = useSession();
  const periods = useApiData(
    (s) => api.get<{ items: CashbookPeriod[] }>(estatePath(estateId, '/cashbook/periods'), undefined, s),
    `${estateId}:${props.version}`,
  );
  const closed = periods.data?.items.filter((p) => p.status === 'closed') ?? [];

  const reopen = async (period: string) => {
    const month = formatPeriod(period, locale);
    const reason = await props.ask(t('ledger.reopen_reason'), {
      title: t('ledger.reopen_title', { month }),
      text: t('ledger.reopen_text'),
      // Reopening removes and reverses nothing; entries dated in the month are simply accepted again.
      tone: 'primary',
      confirmLabel: t('ledger.reopen'),
      maxLength: 500,
    });
    if (!reason) return;
    await props.act(async () => {
      await api.post(estatePath(estateId, '/cashbook/reopen'), { period, reason });
      props.onReopened(t('ledger.reopened', { month }));
    });
    // Asked again even when refused: a month reopened from another desk meanwhile leaves the list too.
    periods.reload();
  };

  return (
    <section className="card" data-testid="cashbook-closed-months">
      <h2 className="card__title">{t('ledger.closed_months')}</h2>
      {periods.error ? <ErrorBanner error={periods.error} onRetry={periods.reload} /> : null}
      {periods.data && closed.length === 0 && <p className="muted">{t('ledger.closed_months_none')}</p>}
      {closed.length > 0 && (
        <>
          <p className="muted">{t('ledger.closed_months_hint')}</p>
          <ul className="closed-months">
            {closed.map((p) => (
              <li key={p.period} className="closed-months__item" data-period={p.period}>
                <div className="closed-months__head">
                  <strong>{formatPeriod(p.period, locale)}</strong>
                  {can('cashbook.close') && (
                    <button type="button" className="btn btn--ghost btn--small" onClick={() => void reopen(p.period)}>
                      {t('ledger.reopen')}
                    </button>
                  )}
                </div>
                <div className="table__muted">
                  {p.changed_by_name
                    ? t('ledger.closed_by', { name: p.changed_by_name, when: calendar.formatDateTime(p.changed_at, locale) })
                    : t('ledger.closed_at', { when: calendar.formatDateTime(p.changed_at, locale) })}
                </div>
              </li>
            ))}
          </ul>
        </>
      )}
    </section>
  );
}
