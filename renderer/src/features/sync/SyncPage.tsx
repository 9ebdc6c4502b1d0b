import { useEffect, useState, type FormEvent } from 'react';
import type { z } from 'zod';
import type { syncRunResponse, syncStatusResponse } from '../../../../server/sync/schemas.ts';
import { api } from '../../api/client.ts';
import { useConfirmDialog } from '../../components/ConfirmDialog.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { lookupError, type MessageKey, type Vars } from '../../i18n/messages.ts';
import { useSession } from '../../session/SessionProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { FieldConflictsCard } from './FieldConflictsCard.tsx';
import './sync.css';

type SyncStatus = z.infer<typeof syncStatusResponse>;
type SyncRun = z.infer<typeof syncRunResponse>;

const FIELDS = ['cloud_url', 'code'] as const;

/**
 * The office's view of sync with the hosted instance: pairing with a one-time code while unlinked, then what the
 * treasurer needs to trust the books are shared (when they last met, what has not left this computer yet, the last
 * problem in plain words) and the two things they can do about it: sync now, or unlink.
 */
export default function SyncPage() {
  const { t, language, locale } = useI18n();
  const { membership, can } = useSession();
  const admin = can('settings.write');
  const calendar = useEstateCalendar();
  const base = `/estates/${membership?.estate_id}/sync`;
  const status = useApiData((signal) => api.get<SyncStatus>(base, undefined, signal), base);
  const [fresh, setFresh] = useState<SyncStatus | null>(null);
  // Kept as a key, not text, so switching the language translates a notice already shown.
  const [notice, setNotice] = useState<{ key: MessageKey; vars?: Vars } | null>(null);
  const current = fresh ?? status.data;

  const refresh = async () => setFresh(await api.get<SyncStatus>(base));

  const linkForm = useApiForm(FIELDS);
  const [cloudUrl, setCloudUrl] = useState('');
  const [code, setCode] = useState('');
  const onLink = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    void linkForm.submit(async () => {
      setFresh(await api.post<SyncStatus>(`${base}/link`, { cloud_url: cloudUrl.trim(), code: code.trim() }));
      setCode('');
      setNotice({ key: 'sync.linked_notice' });
      await runNow();
    });
  };

  const runForm = useApiForm([]);
  const runNow = () =>
    runForm.submit(async () => {
      setNotice(null);
      const run = await api.post<SyncRun>(`${base}/run`);
      if (run.ok) setNotice({ key: 'sync.synced', vars: { pushed: run.pushed, pulled: run.pulled } });
      await refresh();
    });

  // While a cycle runs (started here or by the minute schedule) the status is asked for every second, so a long first
  // upload shows how far it has come instead of a button that only says it is busy.
  const uploading = runForm.submitting || Boolean(current?.progress);
  useEffect(() => {
    if (!uploading) return;
    const timer = window.setInterval(() => {
      api.get<SyncStatus>(base).then(setFresh, () => undefined);
    }, 1000);
    return () => window.clearInterval(timer);
  }, [uploading, base]);
  const progress = current?.progress ?? null;

  const { confirm, dialog } = useConfirmDialog();
  const onUnlink = async () => {
    const yes = await confirm({
      title: t('sync.unlink_title'),
      text: t('sync.unlink_text'),
      confirmLabel: t('sync.unlink'),
      tone: 'danger',
    });
    if (!yes) return;
    await runForm.submit(async () => {
      await api.delete(`${base}/link`);
      setNotice({ key: 'sync.unlinked' });
      await refresh();
    });
  };

  // A change marked elsewhere meanwhile answers 409: the list is read again either way, so it shows what is open.
  const [handleError, setHandleError] = useState<unknown>();
  const onHandled = async (item: SyncStatus['set_aside'][number]) => {
    const name = item.name ?? t('sync.set_aside_unknown');
    const yes = await confirm({
      title: t('sync.set_aside_handle_title'),
      text: t('sync.set_aside_handle_text', { name }),
      confirmLabel: t('sync.set_aside_handle'),
      // Marks a note as dealt with; nothing is removed or sent.
      tone: 'primary',
    });
    if (!yes) return;
    setNotice(null);
    setHandleError(undefined);
    try {
      setFresh(await api.post<SyncStatus>(`${base}/set-aside/${encodeURIComponent(item.id)}/mark-handled`));
      setNotice({ key: 'sync.set_aside_handled' });
    } catch (err) {
      setHandleError(err);
      await refresh().catch(() => undefined);
    }
  };

  const errorText = (error: { code: string; message: string }) => lookupError(language, error.code) ?? error.message;
  const skewMinutes = current?.clock_skew_ms ? Math.max(1, Math.round(Math.abs(current.clock_skew_ms) / 60_000)) : 0;

  return (
    <>
      <PageHeader title={t('sync.title')} subtitle={t('sync.subtitle')} />
      {status.error ? <ErrorBanner error={status.error} onRetry={status.reload} /> : null}
      {notice && (
        <p className="banner banner--success" role="status" data-testid="sync-notice">
          {t(notice.key, notice.vars)}
        </p>
      )}
      {current && !current.linked && !admin && (
        <p className="card muted" data-testid="sync-admin-only">
          {t('sync.admin_only')}
        </p>
      )}
      {current && !current.linked && admin && (
        <form className="card form" onSubmit={onLink} noValidate data-testid="sync-link-form">
          <h2 className="card__title">{t('sync.link_title')}</h2>
          <p className="muted">{t('sync.link_intro')}</p>
          {linkForm.formError && <ErrorBanner error={linkForm.formError} />}
          <Field label={t('sync.cloud_url')} hint={t('sync.cloud_url_hint')} error={linkForm.fieldErrors.cloud_url} required>
            <input
              className="input"
              name="cloud_url"
              inputMode="url"
              autoComplete="off"
              spellCheck={false}
              required
              value={cloudUrl}
              onChange={(e) => {
                setCloudUrl(e.target.value);
                linkForm.clearField('cloud_url');
              }}
            />
          </Field>
          <Field label={t('sync.code')} hint={t('sync.code_hint')} error={linkForm.fieldErrors.code} required>
            <input
              className="input"
              name="code"
              autoComplete="off"
              autoCapitalize="characters"
              spellCheck={false}
              required
              maxLength={40}
              value={code}
              onChange={(e) => {
                setCode(e.target.value);
                linkForm.clearField('code');
              }}
            />
          </Field>
          <div className="form__actions">
            <button type="submit" className="btn btn--primary" disabled={linkForm.submitting} data-testid="sync-link">
              {t('sync.link')}
            </button>
          </div>
        </form>
      )}
      {current?.linked && (
        <section className="card sync-status" data-testid="sync-status">
          <h2 className="card__title">{t('sync.linked_title')}</h2>
          <p>
            {t('sync.linked_to')} <strong data-testid="sync-cloud-url">{current.cloud_url}</strong>
          </p>
          {current.clock_warning && (
            <p className="banner sync-warning" role="status" data-testid="sync-clock-warning">
              {current.clock_far_off
                ? t('sync.clock_far_off', { days: Math.floor(Math.abs(current.clock_skew_ms ?? 0) / 86_400_000) })
                : t('sync.clock_warning', { minutes: skewMinutes })}
            </p>
          )}
          {current.digest_alert && (
            <p className="banner sync-digest-alert" role="alert" data-testid="sync-digest-alert">
              {t('sync_conflicts.digest_alert', { tables: current.digest_alert.tables.join(', ') })}
            </p>
          )}
          {progress && (
            <div className="sync-progress" data-testid="sync-progress">
              <p role="status">
                {t('sync.progress', { sent: progress.sent.toLocaleString(locale), total: progress.total.toLocaleString(locale) })}
              </p>
              <div
                className="progress"
                role="progressbar"
                aria-label={t('sync.progress_label')}
                aria-valuemin={0}
                aria-valuemax={progress.total}
                aria-valuenow={progress.sent}
              >
                <div className="progress__bar" style={{ width: `${Math.round((100 * progress.sent) / Math.max(1, progress.total))}%` }} />
              </div>
            </div>
          )}
          <dl className="facts">
            <dt>{t('sync.last_sync')}</dt>
            <dd data-testid="sync-last">
              {current.last_sync_at ? calendar.formatDateTime(current.last_sync_at, locale) : t('sync.never')}
            </dd>
            <dt>{t('sync.waiting')}</dt>
            <dd data-testid="sync-waiting">{current.waiting > 0 ? current.waiting.toLocaleString(locale) : t('sync.waiting_none')}</dd>
            {current.last_error && (
              <>
                <dt>{t('sync.last_error')}</dt>
                <dd className="sync-error" data-testid="sync-last-error" data-code={current.last_error.code}>
                  {errorText(current.last_error)}
                </dd>
              </>
            )}
          </dl>
          {current.set_aside.length > 0 && (
            <div className="sync-set-aside" data-testid="sync-set-aside">
              <h3>{t('sync.set_aside_title')}</h3>
              <ul>
                {current.set_aside.map((item) => (
                  <li key={item.id} data-user-id={item.user_id} data-set-aside-id={item.id}>
                    <span>
                      <small className="muted">{calendar.formatDateTime(item.created_at, locale)}</small>{' '}
                      {t('sync.set_aside_item', { name: item.name ?? t('sync.set_aside_unknown') })}
                    </span>
                    {admin && (
                      <button
                        type="button"
                        className="btn btn--secondary"
                        onClick={() => void onHandled(item)}
                        data-testid="sync-set-aside-handle"
                      >
                        {t('sync.set_aside_handle')}
                      </button>
                    )}
                  </li>
                ))}
              </ul>
              {handleError ? <ErrorBanner error={handleError} /> : null}
            </div>
          )}
          {runForm.formError && <ErrorBanner error={runForm.formError} />}
          <div className="form__actions">
            <button
              type="button"
              className="btn btn--primary"
              disabled={runForm.submitting}
              onClick={() => void runNow()}
              data-testid="sync-run"
            >
              {runForm.submitting ? t('sync.syncing') : t('sync.sync_now')}
            </button>
            {admin && (
              <button
                type="button"
                className="btn btn--secondary"
                disabled={runForm.submitting}
                onClick={() => void onUnlink()}
                data-testid="sync-unlink"
              >
                {t('sync.unlink')}
              </button>
            )}
          </div>
        </section>
      )}
      {current?.linked && <FieldConflictsCard base={base} reloadKey={current.last_sync_at ?? ''} />}
      {dialog}
    </>
  );
}
