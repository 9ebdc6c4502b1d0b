import type { ChannelSettings } from '../../../../server/messages/schemas.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { SettingInput } from './SettingInput.tsx';

export type CloudTemplates = ChannelSettings['wa_gateway']['cloud_templates'];

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
export function CloudTemplateFields({ value, onChange }: { value: CloudTemplates; onChange: (v: CloudTemplates) => void }) {
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
          <SettingInput
            label={`${tDynamic(`messages.tpl_${key}`, key)} — ${t('messages.cloud_template_name')}`}
            name={`cloud_template_${key}`}
            spellCheck={false}
            autoComplete="off"
            value={value[key]?.name ?? ''}
            onValue={(name) => edit(key, { name })}
          />
          <SettingInput
            label={t('messages.cloud_template_language')}
            name={`cloud_language_${key}`}
            spellCheck={false}
            autoComplete="off"
            value={value[key]?.language ?? 'id'}
            onValue={(language) => edit(key, { language })}
          />
        </div>
      ))}
    </fieldset>
  );
}
