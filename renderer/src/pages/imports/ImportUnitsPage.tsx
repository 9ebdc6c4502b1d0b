import { useEffect, useRef, useState } from 'react';
import { importJob, importUnits, type ColumnMapping } from '../../api/imports.ts';
import type { ImportResult } from '../../api/types.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Icon } from '../../components/Icon.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { formatNumber } from '../../format/rupiah.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { Link } from '../../router/Link.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';
import { ColumnMappingEditor } from './ColumnMapping.tsx';
import { IMPORT_FIELDS } from '../../../../server/imports/column-mapping.ts';
import { PreviewRows, RowErrors, SummaryCards } from './ImportPreview.tsx';

type Step =
  | { kind: 'choose' }
  | { kind: 'working'; phase: 'preview' | 'import'; progress: number; rows?: { done: number; total: number } }
  | { kind: 'preview'; result: ImportResult }
  | { kind: 'done'; result: ImportResult };

/** Choose a file → dry-run preview (optionally re-mapped) → import → summary. Nothing is written before Import. */
export default function ImportUnitsPage() {
  const { t } = useI18n();
  const estateId = useEstateId();
  const inputRef = useRef<HTMLInputElement>(null);
  const [file, setFile] = useState<File | null>(null);
  const [mapping, setMapping] = useState<ColumnMapping | undefined>();
  const [step, setStep] = useState<Step>({ kind: 'choose' });
  const [error, setError] = useState<unknown>(null);
  const mounted = useRef(true);
  useEffect(() => {
    mounted.current = true;
    return () => {
      mounted.current = false;
    };
  }, []);

  /** Follows the background job writing the import until it is done, showing rows saved of all. */
  const followJob = async (jobId: string, planned: ImportResult): Promise<ImportResult> => {
    for (;;) {
      const job = await importJob(estateId, jobId);
      if (job.status === 'done') return { ...planned, summary: job.summary ?? planned.summary };
      if (job.status === 'failed') throw new Error(t('imports.import_failed', { reason: job.error ?? '' }));
      if (!mounted.current) return planned;
      const total = job.rows_total ?? planned.rows.length;
      setStep({ kind: 'working', phase: 'import', progress: 1, rows: { done: job.rows_done, total } });
      await new Promise((resolve) => setTimeout(resolve, 400));
    }
  };

  const run = async (chosen: File, dryRun: boolean, withMapping: ColumnMapping | undefined) => {
    setError(null);
    setStep({ kind: 'working', phase: dryRun ? 'preview' : 'import', progress: 0 });
    try {
      const answer = await importUnits(estateId, chosen, {
        dryRun,
        background: !dryRun,
        mapping: withMapping,
        onProgress: (fraction) => setStep({ kind: 'working', phase: dryRun ? 'preview' : 'import', progress: fraction }),
      });
      if (!dryRun && answer.job_id) {
        setStep({ kind: 'working', phase: 'import', progress: 1, rows: { done: 0, total: answer.rows.length } });
      }
      const result = !dryRun && answer.job_id ? await followJob(answer.job_id, answer) : answer;
      if (!mounted.current) return;
      setStep(dryRun ? { kind: 'preview', result } : { kind: 'done', result });
    } catch (cause) {
      setError(cause);
      setStep({ kind: 'choose' });
    }
  };

  const choose = (chosen: File | undefined) => {
    if (!chosen) return;
    setFile(chosen);
    setMapping(undefined);
    void run(chosen, true, undefined);
  };

  const reset = () => {
    setFile(null);
    setMapping(undefined);
    setStep({ kind: 'choose' });
    if (inputRef.current) inputRef.current.value = '';
  };

  return (
    <>
      <PageHeader title={t('imports.title')} subtitle={t('imports.subtitle')} />
      {error ? <ErrorBanner error={error} /> : null}

      {step.kind === 'choose' && (
        <label className="dropzone">
          <Icon name="file" size={36} />
          <span className="btn btn--primary">{t('imports.choose_file')}</span>
          <span className="muted">{t('imports.file_hint')}</span>
          <input
            ref={inputRef}
            className="visually-hidden"
            type="file"
            name="file"
            accept=".xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv"
            onChange={(e) => choose(e.target.files?.[0])}
          />
        </label>
      )}

      {step.kind === 'working' && (
        <div className="card progress-card" role="status">
          <div className="progress" aria-hidden="true">
            {step.rows ? (
              <div className="progress__bar" style={{ width: `${Math.round((step.rows.done / Math.max(1, step.rows.total)) * 100)}%` }} />
            ) : (
              <div
                className={`progress__bar${step.progress >= 1 ? ' progress__bar--busy' : ''}`}
                style={{ width: `${Math.round(step.progress * 100)}%` }}
              />
            )}
          </div>
          <p data-testid="import-progress">
            {step.rows
              ? t('imports.writing_rows', { done: formatNumber(step.rows.done), total: formatNumber(step.rows.total) })
              : step.progress < 1
                ? t('imports.uploading', { percent: Math.round(step.progress * 100) })
                : step.phase === 'preview'
                  ? t('imports.analysing')
                  : t('imports.importing')}
          </p>
        </div>
      )}

      {step.kind === 'preview' && file && (
        <Preview
          result={step.result}
          fileName={file.name}
          onMapping={(next) => {
            setMapping(next);
            void run(file, true, next);
          }}
          onImport={() => void run(file, false, mapping)}
          onReset={reset}
        />
      )}

      {step.kind === 'done' && (
        <section className="card done" data-testid="import-done">
          <div className="done__icon">
            <Icon name="check" size={32} />
          </div>
          <h2 className="card__title">{t('imports.done_title')}</h2>
          <p>
            {t('imports.done_body', {
              created: formatNumber(step.result.summary.units_create),
              updated: formatNumber(step.result.summary.units_update),
              unchanged: formatNumber(step.result.summary.units_unchanged),
            })}
          </p>
          <p className="muted">
            {t('imports.done_residents', {
              created: formatNumber(step.result.summary.residents_create),
              updated: formatNumber(step.result.summary.residents_update),
            })}
          </p>
          <div className="form__actions form__actions--start">
            <Link className="btn btn--primary" href="/units">
              {t('imports.view_units')}
            </Link>
            <button type="button" className="btn btn--ghost" onClick={reset}>
              {t('imports.choose_other')}
            </button>
          </div>
        </section>
      )}
    </>
  );
}

interface PreviewProps {
  result: ImportResult;
  fileName: string;
  onMapping: (mapping: ColumnMapping) => void;
  onImport: () => void;
  onReset: () => void;
}

function Preview({ result, fileName, onMapping, onImport, onReset }: PreviewProps) {
  const { t } = useI18n();
  const [editMapping, setEditMapping] = useState(false);
  const unrecognised = result.unmapped_columns.length > 0;
  const toWrite = result.summary.units_create + result.summary.units_update;
  const anything = toWrite + result.summary.residents_create + result.summary.residents_update > 0;
  return (
    <div className="stack" data-testid="import-preview">
      <section className="card">
        <div className="card__head">
          <div>
            <h2 className="card__title">{t('imports.preview_title', { file: fileName })}</h2>
            <p className="muted">{t('imports.sheet_info', { sheet: result.sheet, row: result.header_row })}</p>
          </div>
          <button type="button" className="btn btn--ghost btn--small" onClick={() => setEditMapping((v) => !v)}>
            {t('imports.mapping_title')}
          </button>
        </div>
        <SummaryCards summary={result.summary} />
        <div className="form__actions form__actions--start">
          <button type="button" className="btn btn--primary" disabled={!anything} onClick={onImport}>
            {t('imports.import_button', { count: formatNumber(toWrite) })}
          </button>
          <button type="button" className="btn btn--ghost" onClick={onReset}>
            {t('imports.choose_other')}
          </button>
          {result.summary.error_rows > 0 && <span className="muted">{t('imports.import_skip_errors')}</span>}
        </div>
      </section>
      {(unrecognised || editMapping) && (
        <ColumnMappingEditor
          key={JSON.stringify(result.columns)}
          columns={result.columns}
          fields={IMPORT_FIELDS.filter((field) => field !== 'ignore')}
          onApply={onMapping}
        />
      )}
      <RowErrors rows={result.rows} />
      <PreviewRows rows={result.rows} />
    </div>
  );
}
