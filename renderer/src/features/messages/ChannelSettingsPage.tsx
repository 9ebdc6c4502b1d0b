import { useEffect, useState, type FormEvent } from 'react';
import type { ChannelSettings } from '../../../../server/messages/schemas.ts';
import { api, apiRequest } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { PageHeader } from '../../components/PageHeader.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { useEstateId } from '../../session/SessionProvider.tsx';

type Email = ChannelSettings['email'];
type Gateway = ChannelSettings['wa_gateway'];

const EMAIL_FIELDS = ['host', 'port', 'user', 'from_address', 'from_name', 'password'] as const;
const GATEWAY_FIELDS = [
  'base_url',
  'session',
  'phone_number_id',
  'per_minute',
  'per_day',
  'quiet_from',
  'quiet_to',
  'token',
  'webhook_secret',
  'webhook_verify_token',
] as const;
type CloudTemplates = Gateway['cloud_templates'];
const CLOUD_TEMPLATE_KEYS: (keyof CloudTemplates)[] = [
  'invoice_new',
  'reminder_h3',
  'reminder_h1',
  'reminder_h_plus1',
  'overdue_digest',
  'payment_received',
  'proof_rejected',
  'guest_arrived',
  'announcement',
  'vote_opened',
];

/** Cloud API: each Klustera template's approved Meta template (name and language); an empty name is not sent. */
function CloudTemplateFields({ value, onChange }: { value: CloudTemplates; onChange: (v: CloudTemplates) => void }) {
  const { t, tDynamic } = useI18n();
  const edit = (key: keyof CloudTemplates, patch: { name?: string; language?: string }) => {
    const next = { ...(value[key] ?? { name: '', language: 'id' }), ...patch };
    onChange({ ...value, [key]: next });
  };
  return (
    <fieldset className="form__section" data-testid="cloud-templates">
      <legend>{t('messages.cloud_templates')}</legend>
      <p className="muted">{t('messages.cloud_templates_hint')}</p>
      {CLOUD_TEMPLATE_KEYS.map((key) => (
        <div className="form__row" key={key}>
          <Field label={`${tDynamic(`messages.tpl_${key}`, key)} — ${t('messages.cloud_template_name')}`}>
            <input
              className="input"
              name={`cloud_template_${key}`}
              spellCheck={false}
              autoComplete="off"
              value={value[key]?.name ?? ''}
              onChange={(e) => edit(key, { name: e.target.value })}
            />
          </Field>
          <Field label={t('messages.cloud_template_language')}>
            <input
              className="input"
              name={`cloud_language_${key}`}
              spellCheck={false}
              autoComplete="off"
              value={value[key]?.language ?? 'id'}
              onChange={(e) => edit(key, { language: e.target.value })}
            />
          </Field>
        </div>
      ))}
    </fieldset>
  );
}

/** A test message through a saved channel, to an address or number the office types; the answer in plain words. */
function TestSend({ estateId, channel }: { estateId: string; channel: 'email' | 'wa_gateway' }) {
  const { t } = useI18n();
  const form = useApiForm(['to'] as const);
  const [to, setTo] = useState('');
  const [sent, setSent] = useState(false);
  const send = () =>
    form.submit(async () => {
      setSent(false);
      await apiRequest('POST', `/estates/${estateId}/settings/message-channels/test`, { body: { channel, to } });
      setSent(true);
    });
  return (
    <div className="form__row" data-testid={`channel-test-${channel}`}>
      <Field label={t(channel === 'email' ? 'messages.test_to_email' : 'messages.test_to_phone')} error={form.fieldErrors.to} required>
        <input
          className="input"
          name="to"
          inputMode={channel === 'email' ? 'email' : 'tel'}
          value={to}
          onChange={(e) => {
            setTo(e.target.value);
            form.clearField('to');
          }}
        />
      </Field>
      <div className="form__actions">
        <button type="button" className="btn btn--secondary" disabled={form.submitting || !to.trim()} onClick={() => void send()}>
          {t('messages.test_send')}
        </button>
      </div>
      {form.formError && <ErrorBanner error={form.formError} />}
      {sent && (
        <p className="banner banner--success" role="status">
          {t('messages.test_sent')}
        </p>
      )}
    </div>
  );
}

function EmailCard({ estateId, initial, onSaved }: { estateId: string; initial: Email; onSaved: (s: ChannelSettings) => void }) {
  const { t } = useI18n();
  const form = useApiForm(EMAIL_FIELDS);
  const [draft, setDraft] = useState({ ...initial, port: initial.port ?? 587 });
  const [password, setPassword] = useState('');
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof typeof draft>(key: K, value: (typeof draft)[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
    if ((EMAIL_FIELDS as readonly string[]).includes(key as string)) form.clearField(key as (typeof EMAIL_FIELDS)[number]);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(async () => {
      const answer = await apiRequest<ChannelSettings>('PUT', `/estates/${estateId}/settings/message-channels/email`, {
        body: {
          enabled: draft.enabled,
          host: draft.host ?? '',
          port: Number(draft.port),
          secure: draft.secure,
          user: draft.user || null,
          from_address: draft.from_address ?? '',
          from_name: draft.from_name || null,
          ...(password ? { password } : {}),
        },
      });
      setPassword('');
      setSaved(true);
      onSaved(answer);
    });
  };
  return (
    <form className="card form" onSubmit={onSubmit} noValidate data-testid="channel-email">
      <h2 className="card__title">{t('messages.email_title')}</h2>
      <p className="muted">{t('messages.email_intro')}</p>
      {saved && (
        <p className="banner banner--success" role="status">
          {t('messages.channel_saved')}
        </p>
      )}
      {form.formError && <ErrorBanner error={form.formError} />}
      <label className="switch">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t('messages.email_enabled')}</span>
      </label>
      <div className="form__row">
        <Field label={t('messages.smtp_host')} error={form.fieldErrors.host} required>
          <input className="input" name="host" autoComplete="off" value={draft.host ?? ''} onChange={(e) => set('host', e.target.value)} />
        </Field>
        <Field label={t('messages.smtp_port')} error={form.fieldErrors.port} required>
          <input
            className="input"
            name="port"
            type="number"
            inputMode="numeric"
            value={draft.port}
            onChange={(e) => set('port', Number(e.target.value))}
          />
        </Field>
      </div>
      <label className="switch">
        <input type="checkbox" checked={draft.secure} onChange={(e) => set('secure', e.target.checked)} />
        <span>{t('messages.smtp_secure')}</span>
      </label>
      <div className="form__row">
        <Field label={t('messages.smtp_user')} error={form.fieldErrors.user}>
          <input className="input" name="user" autoComplete="off" value={draft.user ?? ''} onChange={(e) => set('user', e.target.value)} />
        </Field>
        <Field
          label={t('messages.smtp_password')}
          hint={initial.has_password ? t('messages.secret_kept') : undefined}
          error={form.fieldErrors.password}
        >
          <input
            className="input"
            name="password"
            type="password"
            autoComplete="new-password"
            value={password}
            onChange={(e) => {
              setPassword(e.target.value);
              form.clearField('password');
            }}
          />
        </Field>
      </div>
      <div className="form__row">
        <Field label={t('messages.from_address')} error={form.fieldErrors.from_address} required>
          <input
            className="input"
            name="from_address"
            inputMode="email"
            value={draft.from_address ?? ''}
            onChange={(e) => set('from_address', e.target.value)}
          />
        </Field>
        <Field label={t('messages.from_name')} error={form.fieldErrors.from_name}>
          <input className="input" name="from_name" value={draft.from_name ?? ''} onChange={(e) => set('from_name', e.target.value)} />
        </Field>
      </div>
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.submitting}>
          {t('common.save')}
        </button>
      </div>
      {initial.host && <TestSend estateId={estateId} channel="email" />}
    </form>
  );
}

function GatewayCard({ estateId, initial, onSaved }: { estateId: string; initial: Gateway; onSaved: (s: ChannelSettings) => void }) {
  const { t } = useI18n();
  const form = useApiForm(GATEWAY_FIELDS);
  const [draft, setDraft] = useState(initial);
  const [token, setToken] = useState('');
  const [webhookSecret, setWebhookSecret] = useState('');
  const [verifyToken, setVerifyToken] = useState('');
  const [saved, setSaved] = useState(false);
  const set = <K extends keyof Gateway>(key: K, value: Gateway[K]) => {
    setSaved(false);
    setDraft((d) => ({ ...d, [key]: value }));
    if ((GATEWAY_FIELDS as readonly string[]).includes(key as string)) form.clearField(key as (typeof GATEWAY_FIELDS)[number]);
  };
  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    void form.submit(async () => {
      const answer = await apiRequest<ChannelSettings>('PUT', `/estates/${estateId}/settings/message-channels/wa-gateway`, {
        body: {
          enabled: draft.enabled,
          provider: draft.provider,
          // The Cloud API's address may stay empty: Meta's own is used.
          base_url: draft.provider === 'cloud_api' ? draft.base_url || undefined : (draft.base_url ?? ''),
          session: draft.provider === 'waha' ? draft.session || 'default' : null,
          phone_number_id: draft.provider === 'cloud_api' ? draft.phone_number_id || null : null,
          cloud_templates: Object.fromEntries(
            Object.entries(draft.cloud_templates ?? {}).filter(([, m]) => m?.name.trim()),
          ) as CloudTemplates,
          per_minute: Number(draft.per_minute),
          per_day: Number(draft.per_day),
          min_gap_s: draft.min_gap_s,
          max_gap_s: draft.max_gap_s,
          quiet_from: draft.quiet_from || null,
          quiet_to: draft.quiet_to || null,
          ...(token ? { token } : {}),
          ...(webhookSecret && draft.provider !== 'fonnte' ? { webhook_secret: webhookSecret } : {}),
          ...(verifyToken && draft.provider === 'cloud_api' ? { webhook_verify_token: verifyToken } : {}),
        },
      });
      setToken('');
      setWebhookSecret('');
      setVerifyToken('');
      setSaved(true);
      onSaved(answer);
    });
  };
  return (
    <form className="card form" onSubmit={onSubmit} noValidate data-testid="channel-wa-gateway">
      <h2 className="card__title">{t('messages.gateway_title')}</h2>
      <p className="muted">{t('messages.gateway_intro')}</p>
      {saved && (
        <p className="banner banner--success" role="status">
          {t('messages.channel_saved')}
        </p>
      )}
      {form.formError && <ErrorBanner error={form.formError} />}
      <label className="switch">
        <input type="checkbox" checked={draft.enabled} onChange={(e) => set('enabled', e.target.checked)} />
        <span>{t('messages.gateway_enabled')}</span>
      </label>
      <div className="form__row">
        <Field label={t('messages.gateway_provider')} required>
          <select
            className="input"
            name="provider"
            value={draft.provider}
            onChange={(e) => set('provider', e.target.value as Gateway['provider'])}
          >
            <option value="fonnte">{t('messages.provider_fonnte')}</option>
            <option value="waha">{t('messages.provider_waha')}</option>
            <option value="cloud_api">{t('messages.provider_cloud_api')}</option>
          </select>
        </Field>
        <Field
          label={t('messages.gateway_base_url')}
          hint={t(draft.provider === 'cloud_api' ? 'messages.cloud_base_url_hint' : 'messages.gateway_base_url_hint')}
          error={form.fieldErrors.base_url}
          required={draft.provider !== 'cloud_api'}
        >
          <input
            className="input"
            name="base_url"
            inputMode="url"
            spellCheck={false}
            value={draft.base_url ?? ''}
            onChange={(e) => set('base_url', e.target.value)}
          />
        </Field>
      </div>
      <div className="form__row">
        {draft.provider === 'waha' && (
          <Field label={t('messages.gateway_session')} error={form.fieldErrors.session}>
            <input className="input" name="session" value={draft.session ?? ''} onChange={(e) => set('session', e.target.value)} />
          </Field>
        )}
        {draft.provider === 'cloud_api' && (
          <Field label={t('messages.cloud_phone_number_id')} error={form.fieldErrors.phone_number_id} required>
            <input
              className="input"
              name="phone_number_id"
              inputMode="numeric"
              autoComplete="off"
              value={draft.phone_number_id ?? ''}
              onChange={(e) => set('phone_number_id', e.target.value)}
            />
          </Field>
        )}
        <Field
          label={t('messages.gateway_token')}
          hint={initial.has_token ? t('messages.secret_kept') : undefined}
          error={form.fieldErrors.token}
        >
          <input
            className="input"
            name="token"
            type="password"
            autoComplete="new-password"
            value={token}
            onChange={(e) => {
              setToken(e.target.value);
              form.clearField('token');
            }}
          />
        </Field>
      </div>
      <div className="form__row">
        <Field label={t('messages.per_minute')} error={form.fieldErrors.per_minute} required>
          <input
            className="input"
            name="per_minute"
            type="number"
            inputMode="numeric"
            value={draft.per_minute}
            onChange={(e) => set('per_minute', Number(e.target.value))}
          />
        </Field>
        <Field label={t('messages.per_day')} error={form.fieldErrors.per_day} required>
          <input
            className="input"
            name="per_day"
            type="number"
            inputMode="numeric"
            value={draft.per_day}
            onChange={(e) => set('per_day', Number(e.target.value))}
          />
        </Field>
        <Field label={t('messages.quiet_from')} error={form.fieldErrors.quiet_from}>
          <input
            className="input"
            name="quiet_from"
            type="time"
            value={draft.quiet_from ?? ''}
            onChange={(e) => set('quiet_from', e.target.value || null)}
          />
        </Field>
        <Field label={t('messages.quiet_to')} error={form.fieldErrors.quiet_to}>
          <input
            className="input"
            name="quiet_to"
            type="time"
            value={draft.quiet_to ?? ''}
            onChange={(e) => set('quiet_to', e.target.value || null)}
          />
        </Field>
      </div>
      <p className="muted">{t('messages.throttle_note')}</p>
      {draft.provider === 'cloud_api' && (
        <CloudTemplateFields value={draft.cloud_templates ?? {}} onChange={(v) => set('cloud_templates', v)} />
      )}
      {draft.provider !== 'fonnte' && (
        <fieldset className="form__section" data-testid="status-webhook">
          <legend>{t('messages.status_webhook_title')}</legend>
          <p className="muted">{t('messages.status_webhook_hint')}</p>
          <Field label={t('messages.status_webhook_url')}>
            {initial.status_webhook_url && initial.provider === draft.provider ? (
              <input
                className="input"
                name="status_webhook_url"
                readOnly
                value={initial.status_webhook_url}
                onFocus={(e) => e.target.select()}
              />
            ) : (
              <p className="muted">{t('messages.status_webhook_save_first')}</p>
            )}
          </Field>
          <div className="form__row">
            <Field
              label={t(draft.provider === 'cloud_api' ? 'messages.webhook_secret_cloud' : 'messages.webhook_secret_waha')}
              hint={initial.has_webhook_secret ? t('messages.secret_kept') : undefined}
              error={form.fieldErrors.webhook_secret}
            >
              <input
                className="input"
                name="webhook_secret"
                type="password"
                autoComplete="new-password"
                value={webhookSecret}
                onChange={(e) => {
                  setWebhookSecret(e.target.value);
                  form.clearField('webhook_secret');
                }}
              />
            </Field>
            {draft.provider === 'cloud_api' && (
              <Field
                label={t('messages.webhook_verify_token')}
                hint={initial.has_webhook_verify_token ? t('messages.secret_kept') : t('messages.webhook_verify_token_hint')}
                error={form.fieldErrors.webhook_verify_token}
              >
                <input
                  className="input"
                  name="webhook_verify_token"
                  type="password"
                  autoComplete="new-password"
                  value={verifyToken}
                  onChange={(e) => {
                    setVerifyToken(e.target.value);
                    form.clearField('webhook_verify_token');
                  }}
                />
              </Field>
            )}
          </div>
        </fieldset>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.submitting}>
          {t('common.save')}
        </button>
      </div>
      {(initial.base_url || initial.phone_number_id) && <TestSend estateId={estateId} channel="wa_gateway" />}
    </form>
  );
}

/**
 * Where messages to residents go out besides the wa.me list the treasurer sends by hand: an SMTP account for email
 * and a WhatsApp gateway (Fonnte-style, a self-hosted WAHA, or Meta's Cloud API with approved templates). Secrets are write-only; each channel has a test send.
 */
export default function ChannelSettingsPage() {
  const { t } = useI18n();
  const estateId = useEstateId();
  const { data, error, reload } = useApiData(
    (signal) => api.get<ChannelSettings>(`/estates/${estateId}/settings/message-channels`, undefined, signal),
    `channels:${estateId}`,
  );
  const [current, setCurrent] = useState<ChannelSettings | null>(null);
  useEffect(() => {
    if (data) setCurrent(data);
  }, [data]);
  return (
    <>
      <PageHeader title={t('messages.channels_title')} subtitle={t('messages.channels_subtitle')} />
      {error ? <ErrorBanner error={error} onRetry={reload} /> : null}
      {current && (
        <>
          <EmailCard estateId={estateId} initial={current.email} onSaved={setCurrent} />
          <GatewayCard estateId={estateId} initial={current.wa_gateway} onSaved={setCurrent} />
        </>
      )}
    </>
  );
}
