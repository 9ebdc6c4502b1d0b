import { useEffect, useState, type FormEvent } from 'react';
import type { MessageTemplate } from '../../../../server/messages/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';
import { Badge } from '../../components/Badge.tsx';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';

type TemplateList = { items: MessageTemplate[]; variables: string[] };
type Preview = { subject: string; text: string; html: string };
const FIELDS = ['subject', 'body'] as const;

/**
 * The wording of each message the estate sends, in its own words: pick a message, edit it with the variables it may
 * use, see it filled with sample values, save, or go back to Klustera's wording.
 */
export default function TemplatesPage() {
  const { t, tDynamic } = useI18n();
  const estateId = useEstateId();
  const { data, error, reload } = useApiData(
    (signal) => api.get<TemplateList>(`/estates/${estateId}/message-templates`, undefined, signal),
    `templates:${estateId}`,
  );
  const [key, setKey] = useState<MessageTemplate['key']>('payment_received');
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [preview, setPreview] = useState<Preview | null>(null);
  const [saved, setSaved] = useState<string | null>(null);
  const form = useApiForm(FIELDS);
  const current = data?.items.find((i) => i.key === key);
  useEffect(() => {
    if (!current) return;
    setSubject(current.subject);
    setBody(current.body);
    setPreview(null);
  }, [current]);

  const run = (fn: () => Promise<void>) => {
    setSaved(null);
    return form.submit(fn);
  };
  const showPreview = () =>
    run(async () => {
      setPreview(await apiRequest<Preview>('POST', `/estates/${estateId}/message-templates/preview`, { body: { key, subject, body } }));
    });
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      await apiRequest('PUT', `/estates/${estateId}/message-templates/${key}`, { body: { subject, body } });
      setSaved(t('messages.template_saved'));
      reload();
    });
  };
  const reset = () =>
    run(async () => {
      await apiRequest('DELETE', `/estates/${estateId}/message-templates/${key}`);
      setSaved(t('messages.template_reset_done'));
      reload();
    });

  return (
    <>
      <PageHeader title={t('messages.templates_title')} subtitle={t('messages.templates_subtitle')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {data && (
        <form className="card form" onSubmit={onSubmit} noValidate data-testid="template-editor">
          <Field label={t('messages.template_pick')} required>
            <select
              className="input"
              name="key"
              value={key}
              onChange={(e) => {
                setSaved(null);
                setKey(e.target.value as MessageTemplate['key']);
              }}
            >
              {data.items.map((item) => (
                <option key={item.key} value={item.key}>
                  {tDynamic(`messages.tpl_${item.key}`, item.key)}
                  {item.customised ? ` · ${t('messages.template_customised')}` : ''}
                </option>
              ))}
            </select>
          </Field>
          {current?.customised && (
            <p>
              <Badge tone="amber">{t('messages.template_customised')}</Badge>
            </p>
          )}
          {saved && (
            <p className="banner banner--success" role="status">
              {saved}
            </p>
          )}
          {form.formError && <ErrorBanner error={form.formError} />}
          <Field
            label={t('messages.template_subject')}
            hint={t('messages.template_subject_hint')}
            error={form.fieldErrors.subject}
            required
          >
            <input
              className="input"
              name="subject"
              value={subject}
              onChange={(e) => {
                setSubject(e.target.value);
                form.clearField('subject');
              }}
            />
          </Field>
          <Field label={t('messages.template_body')} error={form.fieldErrors.body} required>
            <textarea
              className="input"
              name="body"
              rows={7}
              value={body}
              onChange={(e) => {
                setBody(e.target.value);
                form.clearField('body');
              }}
            />
          </Field>
          <p className="muted" data-testid="template-variables">
            {t('messages.template_variables')} {data.variables.map((v) => `{${v}}`).join(' ')}
          </p>
          <div className="form__actions">
            <button type="button" className="btn btn--secondary" disabled={form.submitting} onClick={() => void showPreview()}>
              {t('messages.template_preview')}
            </button>
            {current?.customised && (
              <button type="button" className="btn btn--secondary" disabled={form.submitting} onClick={() => void reset()}>
                {t('messages.template_reset')}
              </button>
            )}
            <button type="submit" className="btn btn--primary" disabled={form.submitting}>
              {t('common.save')}
            </button>
          </div>
          {preview && (
            <section className="card" data-testid="template-preview">
              <h3>{preview.subject}</h3>
              <pre style={{ whiteSpace: 'pre-wrap', fontFamily: 'inherit', margin: 0 }}>{preview.text}</pre>
            </section>
          )}
        </form>
      )}
    </>
  );
}
