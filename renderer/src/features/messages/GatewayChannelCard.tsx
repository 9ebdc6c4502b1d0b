import { useState, type FormEvent } from 'react';
import type { ChannelSettings } from '../../../../server/messages/schemas.ts';
import { apiRequest } from '../../api/client.ts';
import { Field } from '../../components/Field.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ChannelCard } from './ChannelCard.tsx';
import { ChannelTestSend } from './ChannelTestSend.tsx';
import { CloudTemplateFields, type CloudTemplates } from './CloudTemplateFields.tsx';
import { SecretInput, SettingInput } from './SettingInput.tsx';
import { StatusWebhookFields } from './StatusWebhookFields.tsx';

type Gateway = ChannelSettings['wa_gateway'];

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

/**
 * The estate's WhatsApp gateway (Fonnte-style, a self-hosted WAHA, or Meta's Cloud API with approved templates), its
 * sending limits and quiet hours; the token and the status keys are write-only.
 */
export function GatewayChannelCard({
  estateId,
  initial,
  onSaved,
}: {
  estateId: string;
  initial: Gateway;
  onSaved: (s: ChannelSettings) => void;
}) {
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
  /** A write-only key: kept in its own state (never in the draft), its error cleared as it is typed. */
  const secret = (field: (typeof GATEWAY_FIELDS)[number], setValue: (value: string) => void) => (value: string) => {
    setValue(value);
    form.clearField(field);
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
    <ChannelCard
      testId="channel-wa-gateway"
      title={t('messages.gateway_title')}
      intro={t('messages.gateway_intro')}
      enabledLabel={t('messages.gateway_enabled')}
      enabled={draft.enabled}
      onEnabled={(on) => set('enabled', on)}
      saved={saved}
      formError={form.formError}
      submitting={form.submitting}
      onSubmit={onSubmit}
      after={(initial.base_url || initial.phone_number_id) && <ChannelTestSend estateId={estateId} channel="wa_gateway" />}
    >
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
        <SettingInput
          label={t('messages.gateway_base_url')}
          name="base_url"
          hint={t(draft.provider === 'cloud_api' ? 'messages.cloud_base_url_hint' : 'messages.gateway_base_url_hint')}
          error={form.fieldErrors.base_url}
          required={draft.provider !== 'cloud_api'}
          inputMode="url"
          spellCheck={false}
          value={draft.base_url ?? ''}
          onValue={(v) => set('base_url', v)}
        />
      </div>
      <div className="form__row">
        {draft.provider === 'waha' && (
          <SettingInput
            label={t('messages.gateway_session')}
            name="session"
            error={form.fieldErrors.session}
            value={draft.session ?? ''}
            onValue={(v) => set('session', v)}
          />
        )}
        {draft.provider === 'cloud_api' && (
          <SettingInput
            label={t('messages.cloud_phone_number_id')}
            name="phone_number_id"
            error={form.fieldErrors.phone_number_id}
            required
            inputMode="numeric"
            autoComplete="off"
            value={draft.phone_number_id ?? ''}
            onValue={(v) => set('phone_number_id', v)}
          />
        )}
        <SecretInput
          label={t('messages.gateway_token')}
          name="token"
          kept={initial.has_token}
          error={form.fieldErrors.token}
          value={token}
          onValue={secret('token', setToken)}
        />
      </div>
      <div className="form__row">
        <SettingInput
          label={t('messages.per_minute')}
          name="per_minute"
          error={form.fieldErrors.per_minute}
          required
          type="number"
          inputMode="numeric"
          value={draft.per_minute}
          onValue={(v) => set('per_minute', Number(v))}
        />
        <SettingInput
          label={t('messages.per_day')}
          name="per_day"
          error={form.fieldErrors.per_day}
          required
          type="number"
          inputMode="numeric"
          value={draft.per_day}
          onValue={(v) => set('per_day', Number(v))}
        />
        <SettingInput
          label={t('messages.quiet_from')}
          name="quiet_from"
          error={form.fieldErrors.quiet_from}
          type="time"
          value={draft.quiet_from ?? ''}
          onValue={(v) => set('quiet_from', v || null)}
        />
        <SettingInput
          label={t('messages.quiet_to')}
          name="quiet_to"
          error={form.fieldErrors.quiet_to}
          type="time"
          value={draft.quiet_to ?? ''}
          onValue={(v) => set('quiet_to', v || null)}
        />
      </div>
      <p className="muted">{t('messages.throttle_note')}</p>
      {draft.provider === 'cloud_api' && (
        <CloudTemplateFields value={draft.cloud_templates ?? {}} onChange={(v) => set('cloud_templates', v)} />
      )}
      {draft.provider !== 'fonnte' && (
        <StatusWebhookFields
          provider={draft.provider}
          initial={initial}
          errors={form.fieldErrors}
          secret={webhookSecret}
          onSecret={secret('webhook_secret', setWebhookSecret)}
          verifyToken={verifyToken}
          onVerifyToken={secret('webhook_verify_token', setVerifyToken)}
        />
      )}
    </ChannelCard>
  );
}
