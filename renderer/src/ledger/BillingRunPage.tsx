import { useState } from 'react';
import { formatPeriod } from '../format/date.ts';
import { ErrorBanner } from '../components/ErrorMessage.tsx';
import { Field } from '../components/Field.tsx';
import { PageHeader } from '../components/PageHeader.tsx';
import { formatRupiah } from '../format/rupiah.ts';
import { useApiData } from '../hooks/useApiData.ts';
import { useI18n } from '../i18n/I18nProvider.tsx';
import { useEstateId } from '../session/SessionProvider.tsx';
import { api, estatePath, type Paged } from './api.ts';
import { useEstateCalendar } from '../session/useEstateCalendar.ts';
import './ledger.css';
import { DateField } from '../components/DateField.tsx';

interface RunSummary {
  id?: string;
  status?: string;
  period: string;
  total_units: number;
  invoices_created: number;
  invoices_existing: number;
  total_amount: number;
  processed_units?: number;
  due_date?: string;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Preview, then run in the background and poll its progress, so a 10,000-unit estate sees the run move. */
export default function BillingRunPage() {
  const calendar = useEstateCalendar();
  const { t, locale } = useI18n();
  const estateId = useEstateId();
  const [period, setPeriod] = useState(calendar.period());
  // Empty until the preview fills in the server's proposal (the estate's due day, never on or before the run day).
  const [dueDate, setDueDate] = useState('');
  const [preview, setPreview] = useState<RunSummary | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [result, setResult] = useState<RunSummary | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const runs = useApiData(
    (signal) =>
      api.get<Paged<RunSummary & { id: string; finished_at: string }>>(estatePath(estateId, '/billing-runs'), { limit: 12 }, signal),
    `${estateId}:${result?.id ?? ''}`,
  );

  const body = { period, due_date: dueDate || undefined };
  const doPreview = async () => {
    setBusy(true);
    setError(null);
    setResult(null);
    try {
      const proposal = await api.post<RunSummary>(estatePath(estateId, '/billing-runs'), { ...body, dry_run: true });
      setPreview(proposal);
      if (!dueDate && proposal.due_date) setDueDate(proposal.due_date);
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  };
  const doRun = async () => {
    setBusy(true);
    setError(null);
    try {
      const started = await api.post<RunSummary & { id: string }>(estatePath(estateId, '/billing-runs'), { ...body, background: true });
      for (;;) {
        const state = await api.get<RunSummary & { status: string; error?: unknown }>(estatePath(estateId, `/billing-runs/${started.id}`));
        if (state.status === 'running') {
          setProgress({ done: state.processed_units ?? 0, total: state.total_units ?? 0 });
          await sleep(400);
          continue;
        }
        if (state.status === 'failed') throw state.error;
        setResult(state);
        setPreview(null);
        break;
      }
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      setProgress(null);
    }
  };

  return (
    <>
      <PageHeader title={t('ledger.billing_title')} subtitle={t('ledger.billing_subtitle')} />
      <div className="card">
        <div className="ledger-form">
          <Field label={t('ledger.period')} required>
            <input
              className="input"
              name="period"
              type="month"
              value={period}
              onChange={(e) => {
                setPeriod(e.target.value);
                setPreview(null);
                setDueDate('');
              }}
            />
          </Field>
          <Field label={t('ledger.due_date')} hint={t('ledger.billing_due_proposed')}>
            <DateField
              className="input"
              name="due_date"
              value={dueDate}
              onChange={(e) => {
                setDueDate(e.target.value);
                setPreview(null);
              }}
            />
          </Field>
          <div className="ledger-actions">
            <button type="button" className="btn btn--secondary" disabled={busy} onClick={doPreview}>
              {t('ledger.preview')}
            </button>
            <button type="button" className="btn btn--primary" disabled={busy || !preview} onClick={doRun}>
              {t('ledger.run_billing')}
            </button>
          </div>
        </div>
        {preview && (
          <p data-testid="billing-preview">
            {t('ledger.preview_summary', {
              invoices: preview.invoices_created,
              units: preview.total_units,
              amount: formatRupiah(preview.total_amount),
              existing: preview.invoices_existing,
            })}
          </p>
        )}
        {progress && (
          <div className="progress" role="progressbar" aria-valuemin={0} aria-valuemax={progress.total} aria-valuenow={progress.done}>
            <div className="progress__bar" style={{ width: `${progress.total ? (100 * progress.done) / progress.total : 0}%` }} />
            <span>{t('ledger.running', { done: progress.done, total: progress.total })}</span>
          </div>
        )}
        {result && (
          <div className="banner banner--success" role="status" data-testid="billing-result">
            {t('ledger.run_done', {
              created: result.invoices_created,
              existing: result.invoices_existing,
              amount: formatRupiah(result.total_amount),
            })}
          </div>
        )}
        {error ? <ErrorBanner error={error} /> : null}
      </div>
      <h2>{t('ledger.runs_history')}</h2>
      <div className="table-wrap">
        <table className="table table--compact">
          <thead>
            <tr>
              <th>{t('ledger.col_period')}</th>
              <th className="num">{t('ledger.col_unit')}</th>
              <th className="num">{t('ledger.nav_invoices')}</th>
              <th className="num">{t('ledger.col_total')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data?.items.map((r) => (
              <tr key={r.id}>
                <td>{formatPeriod(r.period, locale)}</td>
                <td className="num">{r.total_units}</td>
                <td className="num">{r.invoices_created}</td>
                <td className="num">{formatRupiah(Number(r.total_amount))}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
