import { useState, type FormEvent } from 'react';
import type { BackupsAnswer } from '../../../../server/backups/schemas.ts';
import type { RestoreSwitchAnswer, StagedRestoreAnswer } from '../../../../server/backups/restore-schemas.ts';
import { api, uploadWithProgress } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { formatNumber, formatRupiah } from '../../format/rupiah.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateCalendar } from '../../session/useEstateCalendar.ts';

type Figures = NonNullable<StagedRestoreAnswer['estates'][number]['backup']>;
type Estate = StagedRestoreAnswer['estates'][number];

const COUNTS = ['units', 'residents', 'invoices', 'payments', 'cashbook_entries'] as const;

function totalCash(f: Figures | null): number {
  return f ? f.accounts.reduce((n, a) => n + a.balance, 0) : 0;
}

/** What the office loses by going back, said the way a treasurer counts it: records made since, money in the book. */
function LossSummary({ estate }: { estate: Estate }) {
  const { t } = useI18n();
  const lost = COUNTS.map((key) => ({ key, n: (estate.live?.[key] ?? 0) - (estate.backup?.[key] ?? 0) })).filter((x) => x.n > 0);
  const cashBefore = totalCash(estate.live);
  const cashAfter = totalCash(estate.backup);
  if (!estate.backup) return <p className="banner banner--error">{t('backups.restore_estate_missing')}</p>;
  if (!lost.length && cashBefore === cashAfter) return <p className="banner banner--success">{t('backups.restore_nothing_lost')}</p>;
  return (
    <div className="banner banner--error" data-testid="restore-loss">
      <div>
        <strong>{t('backups.restore_loss_title')}</strong>
        <ul>
          {lost.map(({ key, n }) => (
            <li key={key}>{t(`backups.restore_lost_${key}`, { n: formatNumber(n) })}</li>
          ))}
          {cashBefore !== cashAfter && (
            <li>{t('backups.restore_cash_change', { now: formatRupiah(cashBefore), then: formatRupiah(cashAfter) })}</li>
          )}
        </ul>
      </div>
    </div>
  );
}

function Comparison({ estate }: { estate: Estate }) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const when = (iso: string | null | undefined) => (iso ? calendar.formatDateTime(iso, locale) : '—');
  const accounts = [...new Map([...(estate.live?.accounts ?? []), ...(estate.backup?.accounts ?? [])].map((a) => [a.account_id, a.name]))];
  const balance = (f: Figures | null, id: string) => {
    const account = f?.accounts.find((a) => a.account_id === id);
    return account ? formatRupiah(account.balance) : '—';
  };
  const rows: Array<{ label: string; backup: string; live: string }> = [
    ...COUNTS.map((key) => ({
      label: t(`backups.restore_row_${key}`),
      backup: estate.backup ? formatNumber(estate.backup[key]) : '—',
      live: estate.live ? formatNumber(estate.live[key]) : '—',
    })),
    ...accounts.map(([id, name]) => ({
      label: t('backups.restore_row_balance', { account: name }),
      backup: balance(estate.backup, id),
      live: balance(estate.live, id),
    })),
    {
      label: t('backups.restore_row_last_receipt'),
      backup: estate.backup?.last_receipt_number ?? '—',
      live: estate.live?.last_receipt_number ?? '—',
    },
    {
      label: t('backups.restore_row_newest_payment'),
      backup: when(estate.backup?.newest_payment_at),
      live: when(estate.live?.newest_payment_at),
    },
  ];
  return (
    <div className="table-wrap">
      <table className="table" data-testid="restore-comparison">
        <thead>
          <tr>
            <th>{estate.name}</th>
            <th className="num">{t('backups.restore_col_backup')}</th>
            <th className="num">{t('backups.restore_col_live')}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.label} className={r.backup !== r.live ? 'row--attention' : undefined}>
              <td>{r.label}</td>
              <td className="num">{r.backup}</td>
              <td className="num">{r.live}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/**
 * Restore from the office: choose a listed backup or a backup file, see it side by side with today's books, then
 * type the estate's name to switch. Nothing changes until then, and the books replaced are kept as a safety copy.
 */
export function RestorePanel({ backups }: { backups: BackupsAnswer['backups'] }) {
  const { t, locale } = useI18n();
  const calendar = useEstateCalendar();
  const usable = backups.filter((b) => b.status === 'ok' && b.file_name);
  const [choice, setChoice] = useState('');
  const [file, setFile] = useState<File | null>(null);
  const [passphrase, setPassphrase] = useState('');
  const [staged, setStaged] = useState<StagedRestoreAnswer | null>(null);
  const [confirm, setConfirm] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<RestoreSwitchAnswer | null>(null);

  const run = async (work: () => Promise<void>) => {
    setError(null);
    setBusy(true);
    try {
      await work();
    } catch (cause) {
      setError(cause);
    } finally {
      setBusy(false);
    }
  };
  const prepareListed = () =>
    run(async () => {
      setStaged(await api.post<StagedRestoreAnswer>('/installation/restores', { backup_id: choice || usable[0]?.id }));
      setConfirm('');
    });
  const prepareFile = (event: FormEvent) => {
    event.preventDefault();
    if (!file) return;
    void run(async () => {
      const form = new FormData();
      if (passphrase) form.append('passphrase', passphrase);
      form.append('file', file);
      setStaged(await uploadWithProgress<StagedRestoreAnswer>('/installation/restores/upload', form));
      setConfirm('');
    });
  };
  const cancel = () =>
    run(async () => {
      if (staged) await api.delete(`/installation/restores/${staged.id}`);
      setStaged(null);
    });
  const switchNow = (event: FormEvent) => {
    event.preventDefault();
    if (!staged) return;
    void run(async () => {
      setDone(await api.post<RestoreSwitchAnswer>(`/installation/restores/${staged.id}/switch`, { confirm }));
      setStaged(null);
    });
  };

  if (done) {
    return (
      <section className="card" style={{ marginTop: 16 }} data-testid="restore-done">
        <h2 className="card__title">{t('backups.restore_title')}</h2>
        <p className="banner banner--success" role="status">
          {t('backups.restore_done', {
            when: done.restored_from.backup_at ? calendar.formatDateTime(done.restored_from.backup_at, locale) : '—',
          })}
        </p>
        {done.previous && <p className="muted">{t('backups.restore_previous_kept', { file: done.previous })}</p>}
        <p>{done.session_kept ? t('backups.restore_reload') : t('backups.restore_sign_in_again')}</p>
        <div className="form__actions">
          <button type="button" className="btn btn--primary" onClick={() => window.location.assign('/')}>
            {done.session_kept ? t('backups.restore_open_dashboard') : t('backups.restore_sign_in')}
          </button>
        </div>
      </section>
    );
  }

  return (
    <section className="card" style={{ marginTop: 16 }} data-testid="restore-panel">
      <h2 className="card__title">{t('backups.restore_title')}</h2>
      <p className="muted">{t('backups.restore_intro')}</p>
      {error ? <ErrorBanner error={error} /> : null}
      {!staged && (
        <>
          <div className="form__row">
            <Field label={t('backups.restore_choose')}>
              <select className="input" value={choice} onChange={(e) => setChoice(e.target.value)} data-testid="restore-choice">
                {usable.map((b) => (
                  <option key={b.id} value={b.id}>
                    {calendar.formatDateTime(b.started_at, locale)} · {t(`backups.trigger_${b.trigger}`)}
                  </option>
                ))}
              </select>
            </Field>
          </div>
          <div className="form__actions">
            <button
              type="button"
              className="btn"
              disabled={busy || usable.length === 0}
              onClick={() => void prepareListed()}
              data-testid="restore-prepare"
            >
              {busy ? t('backups.restore_preparing') : t('backups.restore_prepare')}
            </button>
          </div>
          <form className="form" onSubmit={prepareFile} noValidate data-testid="restore-upload">
            <h3>{t('backups.restore_file_title')}</h3>
            <div className="form__row">
              <Field label={t('backups.restore_file')} hint={t('backups.restore_file_hint')}>
                <input
                  className="input"
                  type="file"
                  name="file"
                  accept=".sqlite,.klbk"
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
              </Field>
              <Field label={t('backups.passphrase')} hint={t('backups.restore_passphrase_hint')}>
                <input
                  className="input"
                  type="password"
                  name="restore_passphrase"
                  autoComplete="off"
                  value={passphrase}
                  onChange={(e) => setPassphrase(e.target.value)}
                />
              </Field>
            </div>
            <div className="form__actions">
              <button type="submit" className="btn" disabled={busy || !file}>
                {t('backups.restore_prepare_file')}
              </button>
            </div>
          </form>
        </>
      )}
      {staged && (
        <form className="form" onSubmit={switchNow} noValidate data-testid="restore-staged">
          <p>
            {t('backups.restore_staged', {
              when: staged.backup_at ? calendar.formatDateTime(staged.backup_at, locale) : '—',
              file: staged.source.file_name,
            })}
            {staged.migrated.length > 0 && ` ${t('backups.restore_migrated', { n: staged.migrated.length })}`}
          </p>
          {staged.estates.map((estate) => (
            <div key={estate.estate_id}>
              <LossSummary estate={estate} />
              <Comparison estate={estate} />
            </div>
          ))}
          <Field label={t('backups.restore_confirm', { name: staged.confirm_name })} hint={t('backups.restore_confirm_hint')} required>
            <input
              className="input"
              name="confirm"
              autoComplete="off"
              spellCheck={false}
              value={confirm}
              onChange={(e) => setConfirm(e.target.value)}
              data-testid="restore-confirm"
            />
          </Field>
          <div className="form__actions">
            <button type="button" className="btn" disabled={busy} onClick={() => void cancel()} data-testid="restore-cancel">
              {t('common.cancel')}
            </button>
            <button
              type="submit"
              className="btn btn--danger"
              disabled={busy || confirm.trim().toLowerCase() !== staged.confirm_name.trim().toLowerCase()}
              data-testid="restore-switch"
            >
              {busy ? t('backups.restore_switching') : t('backups.restore_switch')}
            </button>
          </div>
        </form>
      )}
    </section>
  );
}
