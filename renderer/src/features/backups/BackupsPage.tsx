import { useEffect, useState, type FormEvent } from 'react';
import type { BackupsAnswer } from '../../../../server/backups/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';
import { Badge, type BadgeTone } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';
import { RestorePanel } from './RestorePanel.tsx';
import { EMPTY_S3, S3_FIELDS, S3SettingsFields, s3Payload } from './S3SettingsFields.tsx';

const FIELDS = ['time', 'keep_daily', 'keep_weekly', 'keep_monthly', 'copy_folder', 'passphrase', ...S3_FIELDS] as const;
const TONE: Record<string, BadgeTone> = { running: 'amber', ok: 'green', failed: 'red' };
const REMOTE_TONE: Record<string, BadgeTone> = { pending: 'amber', retrying: 'amber', ok: 'green', failed: 'red', skipped: 'grey' };

type Settings = BackupsAnswer['settings'];

function sizeOf(bytes: number | null): string {
  if (bytes === null) return '';
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${Math.max(1, Math.round(bytes / 1024))} KB`;
}

/**
 * The installation's backups: when the daily one runs, how many are kept, the encrypted copy to a second disk, and
 * every backup with what its checks found. Only the server's administrator manages them.
 */
export default function BackupsPage() {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const form = useApiForm(FIELDS);
  const { data, error, reload } = useApiData((signal) => api.get<BackupsAnswer>('/installation/backups', undefined, signal), 'backups');
  const [draft, setDraft] = useState<Settings | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [s3Secret, setS3Secret] = useState('');
  const [notice, setNotice] = useState<string | null>(null);
  const [savedNotice, setSavedNotice] = useState<string | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  useEffect(() => {
    if (data && !draft) setDraft(data.settings);
  }, [data, draft]);
  const running = data?.backups.some((b) => b.status === 'running') ?? false;
  // While one runs, or waits for its upload, the list follows it to its result.
  const uploading = data?.backups.some((b) => b.remote?.status === 'pending') ?? false;
  useEffect(() => {
    if (!running && !uploading) return;
    const timer = setInterval(reload, 1500);
    return () => clearInterval(timer);
  }, [running, uploading, reload]);

  const backupNow = async () => {
    setActionError(null);
    try {
      await api.post('/installation/backups', {});
      setNotice(t('backups.started'));
      setTimeout(reload, 300);
    } catch (cause) {
      setActionError(cause);
    }
  };
  // Uploads that failed for good while the backup's file is still here: "upload again" puts them back in the queue.
  const uploadFailed = data?.backups.filter((b) => b.remote?.status === 'failed' && b.file_name).length ?? 0;
  const [uploadingAgain, setUploadingAgain] = useState(false);
  const uploadAgain = async () => {
    setActionError(null);
    setUploadingAgain(true);
    try {
      const answer = await api.post<{ queued: number }>('/installation/backups/upload-again', {});
      setNotice(t('backups.upload_again_started', { count: answer.queued }));
      reload();
    } catch (cause) {
      setActionError(cause);
    } finally {
      setUploadingAgain(false);
    }
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (!draft) return;
    void form.submit(async () => {
      const body = { ...draft, copy_folder: draft.copy_folder?.trim() || null, ...(passphrase ? { passphrase } : {}) };
      const { has_passphrase: _has, ...payload } = body as Settings & { passphrase?: string };
      const saved = await apiRequest<Settings>('PUT', '/installation/backups/settings', {
        body: { ...payload, s3: s3Payload(draft.s3, s3Secret) },
      });
      setDraft(saved);
      setPassphrase('');
      setS3Secret('');
      setSavedNotice(t('backups.saved'));
      reload();
    });
  };
  const set = <K extends keyof Settings>(key: K, value: Settings[K]) => {
    setSavedNotice(null);
    setDraft((d) => (d ? { ...d, [key]: value } : d));
    form.clearField(key as (typeof FIELDS)[number]);
  };

  return (
    <>
      <PageHeader title={t('backups.title')} subtitle={t('backups.subtitle')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && !data.available && (
        <p className="banner" data-testid="backups-unavailable">
          {t('backups.unavailable')}
        </p>
      )}
      {data?.available && (
        <>
          <section className="card" data-testid="backups-status">
            <h2 className="card__title">{t('backups.status_title')}</h2>
            <p>
              <Badge tone={data.status.state === 'ok' ? 'green' : 'red'}>{t(`backups.state_${data.status.state}`)}</Badge>{' '}
              {data.status.last_ok_at
                ? t('backups.last_ok', { when: calendar.formatDateTime(data.status.last_ok_at, locale) })
                : t('backups.never')}
            </p>
            <p className="muted">{t('backups.folder', { folder: data.folder ?? '' })}</p>
            {uploadFailed > 0 && (
              <p className="banner" data-testid="backups-upload-failed">
                {t('backups.upload_failed_hint', { count: uploadFailed })}
              </p>
            )}
            {notice && (
              <p className="banner banner--success" role="status">
                {notice}
              </p>
            )}
            {actionError ? <ErrorBanner error={actionError} /> : null}
            <div className="form__actions">
              <button
                type="button"
                className="btn btn--primary"
                disabled={running}
                onClick={() => void backupNow()}
                data-testid="backup-now"
              >
                {running ? t('backups.running') : t('backups.now')}
              </button>
              {uploadFailed > 0 && (
                <button
                  type="button"
                  className="btn"
                  disabled={uploadingAgain || uploading}
                  onClick={() => void uploadAgain()}
                  data-testid="backup-upload-again"
                >
                  {t('backups.upload_again')}
                </button>
              )}
            </div>
          </section>
          {draft && (
            <form className="card form" onSubmit={onSubmit} noValidate data-testid="backups-settings">
              <h2 className="card__title">{t('backups.settings_title')}</h2>
              {savedNotice && (
                <p className="banner banner--success" role="status">
                  {savedNotice}
                </p>
              )}
              {form.formError && <ErrorBanner error={form.formError} />}
              <label className="switch">
                <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
                <span>{t('backups.enabled')}</span>
              </label>
              <Field
                label={t('backups.time')}
                hint={t('backups.time_hint', { zone: calendar.zone })}
                error={form.fieldErrors.time}
                required
              >
                <input className="input" type="time" name="time" value={draft.time} onChange={(e) => set('time', e.target.value)} />
              </Field>
              <div className="form__row">
                {(['keep_daily', 'keep_weekly', 'keep_monthly'] as const).map((key) => (
                  <Field key={key} label={t(`backups.${key}`)} error={form.fieldErrors[key]} required>
                    <input
                      className="input"
                      type="number"
                      inputMode="numeric"
                      min={key === 'keep_daily' ? 1 : 0}
                      name={key}
                      value={draft[key]}
                      onChange={(e) => set(key, Number(e.target.value))}
                    />
                  </Field>
                ))}
              </div>
              <h3>{t('backups.copy_title')}</h3>
              <p className="muted">{t('backups.copy_intro')}</p>
              <Field label={t('backups.copy_folder')} hint={t('backups.copy_folder_hint')} error={form.fieldErrors.copy_folder}>
                <input
                  className="input"
                  name="copy_folder"
                  autoComplete="off"
                  spellCheck={false}
                  value={draft.copy_folder ?? ''}
                  onChange={(e) => set('copy_folder', e.target.value)}
                />
              </Field>
              <Field
                label={t('backups.passphrase')}
                hint={draft.has_passphrase ? t('backups.passphrase_kept') : t('backups.passphrase_hint')}
                error={form.fieldErrors.passphrase}
              >
                <input
                  className="input"
                  type="password"
                  name="passphrase"
                  autoComplete="new-password"
                  value={passphrase}
                  onChange={(e) => {
                    setPassphrase(e.target.value);
                    form.clearField('passphrase');
                  }}
                />
              </Field>
              <S3SettingsFields
                value={draft.s3 ?? EMPTY_S3}
                onChange={(next, field) => {
                  setSavedNotice(null);
                  setDraft((d) => (d ? { ...d, s3: next } : d));
                  if (field) form.clearField(field);
                }}
                secret={s3Secret}
                onSecret={(secret) => {
                  setS3Secret(secret);
                  form.clearField('s3.secret_key');
                }}
                errors={form.fieldErrors}
                saved={Boolean(data.settings.s3)}
              />
              <div className="form__actions">
                <button type="submit" className="btn btn--primary" disabled={form.submitting}>
                  {t('common.save')}
                </button>
              </div>
            </form>
          )}
          <div className="table-wrap">
            <table className="table" data-testid="backups-table">
              <thead>
                <tr>
                  <th>{t('backups.col_when')}</th>
                  <th>{t('backups.col_status')}</th>
                  <th>{t('backups.col_checks')}</th>
                  <th className="num">{t('backups.col_size')}</th>
                  <th>{t('backups.col_copy')}</th>
                </tr>
              </thead>
              <tbody>
                {data.backups.map((b) => (
                  <tr key={b.id} data-testid="backup-row">
                    <td>
                      {calendar.formatDateTime(b.started_at, locale)}
                      <div className="muted">{t(`backups.trigger_${b.trigger}`)}</div>
                    </td>
                    <td>
                      <Badge tone={TONE[b.status] ?? 'grey'}>{t(`backups.status_${b.status}`)}</Badge>
                      {b.error && <div className="muted">{b.error}</div>}
                    </td>
                    <td>
                      {b.checks
                        ? b.checks.cashbooks.every((c) => c.ok)
                          ? t('backups.checks_ok', { entries: b.checks.cashbooks.reduce((n, c) => n + c.checked, 0) })
                          : t('backups.checks_broken')
                        : ''}
                    </td>
                    <td className="num">{b.pruned ? t('backups.pruned') : sizeOf(b.bytes)}</td>
                    <td>
                      {b.copies.length ? b.copies.map((c) => (c.ok ? t('backups.copy_ok') : t('backups.copy_failed'))).join(', ') : '—'}
                      {b.remote && (
                        <div data-testid="backup-remote">
                          <Badge tone={REMOTE_TONE[b.remote.status] ?? 'grey'}>
                            {b.remote.pruned ? t('backups.remote_pruned') : t(`backups.remote_${b.remote.status}`)}
                          </Badge>
                          {(b.remote.status === 'retrying' || b.remote.status === 'skipped') && b.remote.error && (
                            <div className="muted">{b.remote.error}</div>
                          )}
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
                {data.backups.length === 0 && (
                  <tr>
                    <td colSpan={5} className="muted">
                      {t('backups.empty')}
                    </td>
                  </tr>
                )}
              </tbody>
            </table>
          </div>
          <RestorePanel backups={data.backups} />
        </>
      )}
    </>
  );
}
