import type { ChannelSettings } from '../../../../server/messages/schemas.ts';
import type { ApiError } from '../../api/errors.ts';
import { Field } from '../../components/Field.tsx';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { SecretInput } from './SettingInput.tsx';

type Gateway = ChannelSettings['wa_gateway'];

/**
 * Where a WAHA or Cloud API gateway posts its delivered and read statuses, and the keys that sign them. The address
 * is shown only once the gateway is saved with the provider chosen now.
 */
export function StatusWebhookFields({
  provider,
  initial,
  errors,
  secret,
  onSecret,
  verifyToken,
  onVerifyToken,
}: {
  provider: Gateway['provider'];
  initial: Gateway;
  errors: { webhook_secret?: ApiError; webhook_verify_token?: ApiError };
  secret: string;
  onSecret: (value: string) => void;
  verifyToken: string;
  onVerifyToken: (value: string) => void;
}) {
  const { t } = useI18n();
  return (
    <fieldset className="form__section" data-testid="status-webhook">
      <legend>{t('messages.status_webhook_title')}</legend>
      <p className="muted">{t('messages.status_webhook_hint')}</p>
      <Field label={t('messages.status_webhook_url')}>
        {initial.status_webhook_url && initial.provider === provider ? (
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
        <SecretInput
          label={t(provider === 'cloud_api' ? 'messages.webhook_secret_cloud' : 'messages.webhook_secret_waha')}
          name="webhook_secret"
          kept={initial.has_webhook_secret}
          error={errors.webhook_secret}
          value={secret}
          onValue={onSecret}
        />
        {provider === 'cloud_api' && (
          <SecretInput
            label={t('messages.webhook_verify_token')}
            name="webhook_verify_token"
            kept={initial.has_webhook_verify_token}
            hint={t('messages.webhook_verify_token_hint')}
            error={errors.webhook_verify_token}
            value={verifyToken}
            onValue={onVerifyToken}
          />
        )}
      </div>
    </fieldset>
  );
}
