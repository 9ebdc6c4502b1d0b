import { useEffect, useState, type FormEvent } from 'react';
import { isApiError } from '../../api/errors.ts';
import { ErrorBanner, useErrorText } from '../../components/ErrorMessage.tsx';
import { Field } from '../../components/Field.tsx';
import { useApiData } from '../../hooks/useApiData.ts';
import { useApiForm } from '../../hooks/useApiForm.ts';
import { useI18n } from '../../i18n/I18nProvider.tsx';
import { GatewayMethodsFields, VA_BANK_CODES, type MethodChoice } from './GatewayMethodsFields.tsx';
import { VaFeeFields, vaFeeDraft, vaFeesInput, type VaFeeDraft } from './VaFeeFields.tsx';
import { onlinePaymentApi, type GatewayProvider, type GatewaySettings } from './api.ts';

const FIELDS = [
  'enabled',
  'base_url',
  'snap_base_url',
  'secret_key',
  'callback_token',
  'methods',
  'fee_bearer',
  ...VA_BANK_CODES.map((bank) => `va_fees.${bank}`),
];

/** A secret that was saved is never shown again: the field says so and stays empty unless it is being replaced. */
function SecretField({
  name,
  label,
  newHint,
  stored,
  value,
  onChange,
  error,
}: {
  name: 'secret_key' | 'callback_token';
  label: string;
  /** What to say about a secret not yet saved, where the provider's dashboard differs. */
  newHint?: string;
  stored: boolean;
  value: string;
  onChange: (v: string) => void;
  error?: ReturnType<typeof useApiForm>['fieldErrors'][string];
}) {
  const { t } = useI18n();
  return (
    <Field
      label={label}
      hint={stored ? t('online.secret_hint_stored') : (newHint ?? t('online.secret_hint_new'))}
      error={error}
      required={!stored}
    >
      <input
        className="input"
        name={name}
        type="password"
        autoComplete="new-password"
        spellCheck={false}
        placeholder={stored ? `•••••••• (${t('online.secret_stored')})` : ''}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </Field>
  );
}

/** The estate's Xendit account: switch, address, write-only keys, methods, fee, and a test of what is saved. */
export function GatewaySettingsCard({ estateId }: { estateId: string }) {
  const { t } = useI18n();
  const errorText = useErrorText();
  const form = useApiForm(FIELDS);
  // Unset until the estate's own gateway is read; choosing the other provider reads that provider's saved settings.
  const [provider, setProvider] = useState<GatewayProvider | null>(null);
  const { data, error, reload } = useApiData(
    (signal) => onlinePaymentApi.settings(estateId, signal, provider ?? undefined),
    `${estateId}:${provider ?? ''}`,
  );
  const midtrans = provider === 'midtrans';
  const [snapBaseUrl, setSnapBaseUrl] = useState('');
  const [current, setCurrent] = useState<GatewaySettings | null>(null);
  const [enabled, setEnabled] = useState(false);
  const [baseUrl, setBaseUrl] = useState('');
  const [secretKey, setSecretKey] = useState('');
  const [callbackToken, setCallbackToken] = useState('');
  const [feeBearer, setFeeBearer] = useState<'estate' | 'resident'>('estate');
  const [choice, setChoice] = useState<MethodChoice>({ methods: ['qris'], vaBanks: [], ewalletChannels: [] });
  const [vaFees, setVaFees] = useState<VaFeeDraft>({});
  const [saved, setSaved] = useState(false);
  const [testing, setTesting] = useState(false);
  const [test, setTest] = useState<{ ok: true } | { ok: false; reason: string } | null>(null);

  useEffect(() => {
    if (!data) return;
    setCurrent(data);
    setProvider((p) => p ?? data.provider);
    setEnabled(data.enabled);
    setBaseUrl(data.base_url ?? '');
    setSnapBaseUrl(data.snap_base_url ?? '');
    setFeeBearer(data.fee_bearer);
    setVaFees(vaFeeDraft(data.va_fees));
    setChoice({ methods: data.methods, vaBanks: data.va_banks, ewalletChannels: data.ewallet_channels });
  }, [data]);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    setSaved(false);
    setTest(null);
    void form.submit(async () => {
      const answer = await onlinePaymentApi.saveSettings(estateId, {
        provider: provider ?? 'xendit',
        enabled,
        base_url: baseUrl.trim() === '' ? null : baseUrl.trim(),
        ...(midtrans ? { snap_base_url: snapBaseUrl.trim() === '' ? null : snapBaseUrl.trim() } : {}),
        methods: midtrans ? choice.methods.filter((m) => m !== 'va') : choice.methods,
        ...(choice.methods.includes('va') && !midtrans ? { va_banks: choice.vaBanks, va_fees: vaFeesInput(vaFees, choice.vaBanks) } : {}),
        ...(choice.methods.includes('ewallet') ? { ewallet_channels: choice.ewalletChannels } : {}),
        fee_bearer: feeBearer,
        ...(secretKey.trim() ? { secret_key: secretKey.trim() } : {}),
        ...(callbackToken.trim() && !midtrans ? { callback_token: callbackToken.trim() } : {}),
      });
      setCurrent(answer);
      setVaFees(vaFeeDraft(answer.va_fees));
      setSecretKey('');
      setCallbackToken('');
      setSaved(true);
    });
  };

  const runTest = async () => {
    setTesting(true);
    setTest(null);
    try {
      await onlinePaymentApi.testConnection(estateId, provider ?? undefined);
      setTest({ ok: true });
    } catch (err) {
      const rejected = midtrans && isApiError(err) && err.code === 'GATEWAY_KEY_REJECTED';
      setTest({ ok: false, reason: rejected ? t('online.error_GATEWAY_KEY_REJECTED_midtrans') : errorText(err) });
    } finally {
      setTesting(false);
    }
  };

  if (error) return <ErrorBanner error={error} onRetry={reload} />;
  if (!current) return null;
  return (
    <form className="card form" onSubmit={onSubmit} noValidate data-testid="gateway-form">
      <h2 className="card__title">{t('online.settings_title')}</h2>
      <label className="checkbox">
        <input type="checkbox" name="enabled" checked={enabled} onChange={(e) => setEnabled(e.target.checked)} />{' '}
        <strong>{t('online.enabled')}</strong>
      </label>
      <p className="muted">{t('online.enabled_hint')}</p>
      <Field label={t('online.provider')} hint={t('online.provider_hint')} required>
        <select
          className="input"
          name="provider"
          value={provider ?? 'xendit'}
          onChange={(e) => {
            setProvider(e.target.value as GatewayProvider);
            setSaved(false);
            setTest(null);
            setSecretKey('');
            setCallbackToken('');
          }}
        >
          <option value="xendit">{t('online.provider_xendit')}</option>
          <option value="midtrans">{t('online.provider_midtrans')}</option>
        </select>
      </Field>
      <Field
        label={t('online.base_url')}
        hint={midtrans ? t('online.midtrans_base_url_hint') : t('online.base_url_hint')}
        error={form.fieldErrors.base_url}
      >
        <input
          className="input"
          name="base_url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          placeholder={midtrans ? 'https://api.midtrans.com' : 'https://api.xendit.co'}
          value={baseUrl}
          onChange={(e) => {
            setBaseUrl(e.target.value);
            form.clearField('base_url');
          }}
        />
      </Field>
      {midtrans && (
        <Field label={t('online.snap_base_url')} hint={t('online.snap_base_url_hint')} error={form.fieldErrors.snap_base_url}>
          <input
            className="input"
            name="snap_base_url"
            inputMode="url"
            autoComplete="off"
            spellCheck={false}
            placeholder="https://app.midtrans.com"
            value={snapBaseUrl}
            onChange={(e) => {
              setSnapBaseUrl(e.target.value);
              form.clearField('snap_base_url');
            }}
          />
        </Field>
      )}
      <p>
        {midtrans ? t('online.server_key') : t('online.secret_key')}:{' '}
        <span
          className={`gateway-form__secret-state${current.has_secret_key ? ' gateway-form__secret-state--set' : ''}`}
          data-testid="secret-key-state"
        >
          {current.has_secret_key ? t('online.secret_stored') : t('online.secret_missing')}
        </span>
        {!midtrans && (
          <>
            {' · '}
            {t('online.callback_token')}:{' '}
            <span
              className={`gateway-form__secret-state${current.has_callback_token ? ' gateway-form__secret-state--set' : ''}`}
              data-testid="callback-token-state"
            >
              {current.has_callback_token ? t('online.secret_stored') : t('online.secret_missing')}
            </span>
          </>
        )}
      </p>
      <SecretField
        name="secret_key"
        label={midtrans ? t('online.server_key') : t('online.secret_key')}
        newHint={midtrans ? t('online.midtrans_secret_hint_new') : undefined}
        stored={current.has_secret_key}
        value={secretKey}
        onChange={(v) => {
          setSecretKey(v);
          form.clearField('secret_key');
        }}
        error={form.fieldErrors.secret_key}
      />
      {midtrans ? (
        <p className="muted" data-testid="midtrans-signature-note">
          {t('online.midtrans_signature_note', { url: `${window.location.origin}/api/v1/webhooks/midtrans` })}
        </p>
      ) : (
        <SecretField
          name="callback_token"
          label={t('online.callback_token')}
          stored={current.has_callback_token}
          value={callbackToken}
          onChange={(v) => {
            setCallbackToken(v);
            form.clearField('callback_token');
          }}
          error={form.fieldErrors.callback_token}
        />
      )}
      <fieldset className="field gateway-form__methods">
        <legend className="field__label">{t('online.methods')}</legend>
        <GatewayMethodsFields value={choice} onChange={setChoice} allowVa={!midtrans} />
      </fieldset>
      <Field label={t('online.fee_bearer')} required error={form.fieldErrors.fee_bearer}>
        <select
          className="input"
          name="fee_bearer"
          value={feeBearer}
          onChange={(e) => setFeeBearer(e.target.value as 'estate' | 'resident')}
        >
          <option value="estate">{t('online.fee_bearer_estate')}</option>
          <option value="resident">{t('online.fee_bearer_resident')}</option>
        </select>
      </Field>
      {!midtrans && choice.methods.includes('va') && (
        <VaFeeFields
          banks={VA_BANK_CODES.filter((bank) => choice.vaBanks.includes(bank))}
          value={vaFees}
          onChange={(next) => {
            setVaFees(next);
            for (const bank of VA_BANK_CODES) form.clearField(`va_fees.${bank}`);
          }}
          feeBearer={feeBearer}
          errors={form.fieldErrors}
        />
      )}
      {form.formError && <ErrorBanner error={form.formError} />}
      {saved && (
        <p className="banner banner--success" role="status" data-testid="gateway-saved">
          {t('online.saved')}
        </p>
      )}
      <div className="form__actions">
        <button type="submit" className="btn btn--primary" disabled={form.submitting}>
          {t('common.save')}
        </button>
        <button
          type="button"
          className="btn btn--secondary"
          data-testid="gateway-test"
          disabled={testing || form.submitting || !current.has_secret_key}
          onClick={() => void runTest()}
        >
          {testing ? t('online.testing') : t('online.test')}
        </button>
      </div>
      {test && (
        <p
          className={`banner gateway-test-result ${test.ok ? 'banner--success' : 'banner--error'}`}
          role="status"
          data-testid="gateway-test-result"
        >
          {test.ok ? (midtrans ? t('online.test_ok_midtrans') : t('online.test_ok')) : t('online.test_failed', { reason: test.reason })}
        </p>
      )}
    </form>
  );
}
