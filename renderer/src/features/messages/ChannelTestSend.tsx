import { useState } from 'react';
import { apiRequest } from '../../api/client.ts';
import { ErrorBanner } from '../../components/ErrorMessage.tsx';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { SettingInput } from './SettingInput.tsx';

/** A test message through a saved channel, to an address or number the office types; the answer in plain words. */
export function ChannelTestSend({ estateId, channel }: { estateId: string; channel: 'email' | 'wa_gateway' }) {
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
      <SettingInput
        label={t(channel === 'email' ? 'messages.test_to_email' : 'messages.test_to_phone')}
        name="to"
        error={form.fieldErrors.to}
        required
        inputMode={channel === 'email' ? 'email' : 'tel'}
        value={to}
        onValue={(value) => {
          setTo(value);
          form.clearField('to');
        }}
      />
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
