import { useEffect, useState, type FormEvent } from 'react';
import type { PrinterSettings } from '../../../../server/settings/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field, allFieldsValid } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useSession } from '../../session/SessionProvider.tsx';

const FIELDS = ['host', 'port', 'paper_width'] as const;

/**
 * The office's receipt printer ("Cetak struk" prints here): a network printer's address and its paper, and a test
 * page to prove the setting before a resident is waiting for a receipt. USB and device-file printers are set up by
 * the API; this page shows them and leaves them alone unless the office switches to a network printer.
 */
export default function PrinterSettingsPage() {
  const { t } = useI18n();
  const { membership, can } = useSession();
  const base = `/estates/${membership?.estate_id}/settings/printer`;
  const form = useApiForm(FIELDS);
  const { data, error, reload } = useApiData((signal) => api.get<PrinterSettings>(base, undefined, signal), base);
  const [value, setValue] = useState({ host: '', port: '9100', paper_width: '58' });
  const [notice, setNotice] = useState<string | null>(null);
  const [testError, setTestError] = useState<unknown>(null);
  const [testing, setTesting] = useState(false);
  const printer = data?.printer ?? null;
  const editable = can('settings.write');

  useEffect(() => {
    document.title = `${t('gate.printer_title')} · Klustera`;
  }, [t]);
  useEffect(() => {
    if (printer?.connection === 'network')
      setValue({ host: printer.host ?? '', port: String(printer.port), paper_width: String(printer.paper_width) });
  }, [printer]);

  const set = (key: keyof typeof value) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    form.clearField(key);
    setValue((v) => ({ ...v, [key]: e.target.value }));
  };

  const save = (event: FormEvent) => {
    event.preventDefault();
    setNotice(null);
    setTestError(null);
    if (!allFieldsValid(event)) return;
    void form.submit(async () => {
      await apiRequest('PUT', base, {
        body: {
          connection: 'network',
          host: value.host.trim(),
          port: Number(value.port),
          paper_width: Number(value.paper_width),
          ...(printer?.connection === 'network' && printer.timeout_ms ? { timeout_ms: printer.timeout_ms } : {}),
        },
      });
      setNotice(t('gate.printer_saved'));
      reload();
    });
  };

  const testPrint = async () => {
    setNotice(null);
    setTestError(null);
    setTesting(true);
    try {
      await api.post(`${base}/test`);
      setNotice(t('gate.printer_test_printed'));
    } catch (err) {
      setTestError(err);
    } finally {
      setTesting(false);
    }
  };

  return (
    <>
      <PageHeader title={t('gate.printer_title')} subtitle={t('gate.printer_subtitle')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && (
        <form className="card form" onSubmit={save} noValidate data-testid="printer-form">
          <p data-testid="printer-current">
            {printer === null
              ? t('gate.printer_none')
              : printer.connection === 'network'
                ? t('gate.printer_current_network', { host: printer.host ?? '', port: printer.port, paper: printer.paper_width })
                : t('gate.printer_current_other', { connection: printer.connection, paper: printer.paper_width })}
          </p>
          {notice && (
            <p className="banner banner--success" role="status">
              {notice}
            </p>
          )}
          {form.formError && <ErrorBanner error={form.formError} />}
          {testError !== null && <ErrorBanner error={testError} />}
          {editable && (
            <>
              <Field label={t('gate.printer_host')} hint={t('gate.printer_host_hint')} required error={form.fieldErrors.host}>
                <input
                  className="input"
                  name="host"
                  autoComplete="off"
                  spellCheck={false}
                  maxLength={253}
                  placeholder="192.168.1.50"
                  value={value.host}
                  onChange={set('host')}
                />
              </Field>
              <Field label={t('gate.printer_port')} hint={t('gate.printer_port_hint')} required error={form.fieldErrors.port}>
                <input
                  className="input"
                  name="port"
                  type="number"
                  inputMode="numeric"
                  min={1}
                  max={65535}
                  value={value.port}
                  onChange={set('port')}
                />
              </Field>
              <Field label={t('gate.printer_paper')} required error={form.fieldErrors.paper_width}>
                <select className="input" name="paper_width" value={value.paper_width} onChange={set('paper_width')}>
                  <option value="58">{t('gate.printer_paper_58')}</option>
                  <option value="80">{t('gate.printer_paper_80')}</option>
                </select>
              </Field>
            </>
          )}
          <div className="form__actions form__actions--start">
            {editable && (
              <button type="submit" className="btn btn--primary" disabled={form.submitting}>
                {t('common.save')}
              </button>
            )}
            {printer && can('devices.write') && (
              <button type="button" className="btn btn--secondary" disabled={testing} onClick={() => void testPrint()}>
                {t('gate.printer_test')}
              </button>
            )}
          </div>
        </form>
      )}
    </>
  );
}
