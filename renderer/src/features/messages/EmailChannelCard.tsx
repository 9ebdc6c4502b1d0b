import { useState, type FormEvent } from 'react';
import type { ChannelSettings } from '../../../../server/messages/schemas.ts';
import { apiRequest } from '../../api/client.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { ChannelCard } from './ChannelCard.tsx';
import { ChannelTestSend } from './ChannelTestSend.tsx';
import { SecretInput, SettingInput } from './SettingInput.tsx';

type Email = ChannelSettings['email'];

const EMAIL_FIELDS = ['host', 'port', 'user', 'from_address', 'from_name', 'password'] as const;

/** The estate's SMTP account: where emails to residents go out from; the password is write-only. */
export function EmailChannelCard({
  estateId,
  initial,
  onSaved,
}: {
  estateId: string;
  initial: Email;
  onSaved: (s: ChannelSettings) => void;
}) {
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
    <ChannelCard
      testId="channel-email"
      title={t('messages.email_title')}
      intro={t('messages.email_intro')}
      enabledLabel={t('messages.email_enabled')}
      enabled={draft.enabled}
      onEnabled={(on) => set('enabled', on)}
      saved={saved}
      formError={form.formError}
      submitting={form.submitting}
      onSubmit={onSubmit}
      after={initial.host && <ChannelTestSend estateId={estateId} channel="email" />}
    >
      <div className="form__row">
        <SettingInput
          label={t('messages.smtp_host')}
          name="host"
          error={form.fieldErrors.host}
          required
          autoComplete="off"
          value={draft.host ?? ''}
          onValue={(v) => set('host', v)}
        />
        <SettingInput
          label={t('messages.smtp_port')}
          name="port"
          error={form.fieldErrors.port}
          required
          type="number"
          inputMode="numeric"
          value={draft.port}
          onValue={(v) => set('port', Number(v))}
        />
      </div>
      <label className="switch">
        <input type="checkbox" checked={draft.secure} onChange={(e) => set('secure', e.target.checked)} />
        <span>{t('messages.smtp_secure')}</span>
      </label>
      <div className="form__row">
        <SettingInput
          label={t('messages.smtp_user')}
          name="user"
          error={form.fieldErrors.user}
          autoComplete="off"
          value={draft.user ?? ''}
          onValue={(v) => set('user', v)}
        />
        <SecretInput
          label={t('messages.smtp_password')}
          name="password"
          kept={initial.has_password}
          error={form.fieldErrors.password}
          value={password}
          onValue={(v) => {
            setPassword(v);
            form.clearField('password');
          }}
        />
      </div>
      <div className="form__row">
        <SettingInput
          label={t('messages.from_address')}
          name="from_address"
          error={form.fieldErrors.from_address}
          required
          inputMode="email"
          value={draft.from_address ?? ''}
          onValue={(v) => set('from_address', v)}
        />
        <SettingInput
          label={t('messages.from_name')}
          name="from_name"
          error={form.fieldErrors.from_name}
          value={draft.from_name ?? ''}
          onValue={(v) => set('from_name', v)}
        />
      </div>
    </ChannelCard>
  );
}
